// libFuzzer target: one request body into Discord's interaction decoder, as the interactions
// endpoint and the Gateway hand it over, into `ButtonAction(payload:)`, and into `DiscordSignature`
// with the body as hostile header values. Built and run by `scripts/fuzz DiscordDecoders`.
import ChatOpsCore
import ChatPlatforms
import Foundation
import FuzzChecks

/// Fixed so that every run of an input takes the same path.
let receivedAt = Date(timeIntervalSince1970: 1_700_000_000)
/// RFC 8032 §7.1 test 1 public key (the key PLATFORMS.md's Discord-shaped vector is signed with).
let publicKeyHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDiscordDecoders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzChecks.run(data, size, target: "DiscordDecoders") { discordProblems(Array($0.utf8)) }
}

/// Everything the decoder, the payload reader and the signature check promise about one body.
func discordProblems(_ bytes: [UInt8]) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    var problems: [String] = []
    switch try? DiscordInteractionDecoder.decide(body: bytes, receivedAt: receivedAt) {
    case .accept(let inbound, let acknowledgement)?:
        if inbound.sender.platform != "discord" || inbound.conversation.platform != "discord" {
            problems.append("an inbound of platform \(inbound.sender.platform)/\(inbound.conversation.platform)")
        }
        if !inbound.dedupeKey.hasPrefix("discord:interaction:") { problems.append("dedupe key \(inbound.dedupeKey.debugDescription)") }
        if inbound.receivedAt != receivedAt { problems.append("receivedAt changed to \(inbound.receivedAt)") }
        if acknowledgement.status != 200 || (try? JSONDecoder().decode(JSONValue.self, from: Data(acknowledgement.body))) == nil {
            problems.append("an acknowledgement Discord cannot read: \(acknowledgement.status)")
        }
        if let message = inbound.text, MentionSafety.containsBroadcast(MentionSafety.neutralize(message)) {
            problems.append("MentionSafety.neutralize left a broadcast mention in the text")
        }
    case .answer(let response, _)?:
        if (try? JSONDecoder().decode(JSONValue.self, from: Data(response.body))) == nil { problems.append("an answer that is not JSON") }
    case .unauthorized?:
        problems.append("the decoder refused as unauthorized; only the signature check may")
    case nil:
        break
    }
    // A payload that reads back is the same payload, and fits Discord's 100 characters.
    if let button = ButtonAction(payload: text) {
        if button.payload != text { problems.append("payload \(text.debugDescription) reads back as \(button.payload.debugDescription)") }
        if button.payload.count > 100 && text.utf8.count <= 100 { problems.append("a payload grew past 100 characters") }
    }
    // Hostile header values must not crash the check, and never verify.
    if let key = DiscordSignature.publicKey(hex: publicKeyHex) {
        for (timestamp, signature) in [(text, text), ("1700000000", text), (text, String(repeating: "0", count: 128))] {
            if (try? DiscordSignature.verify(
                body: bytes, timestamp: timestamp, signature: signature, publicKey: key, now: receivedAt, maxAge: 300)) != nil
            {
                problems.append("a signature made of the body verified")
            }
        }
    }
    _ = DiscordSignature.publicKey(hex: text)
    return problems
}
