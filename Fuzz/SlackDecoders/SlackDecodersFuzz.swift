// libFuzzer target: one request body into all three Slack decoders (slash command, Events API, interactivity),
// and into `SlackSignature` as the signed body. Built and run by `scripts/fuzz SlackDecoders`.
import ChatOpsCore
import ChatPlatforms
import Foundation
import FuzzChecks

/// Fixed so that every run of an input takes the same path.
let receivedAt = Date(timeIntervalSince1970: 1_700_000_000)
/// Slack's documented example secret and timestamp (api.slack.com/authentication/verifying-requests-from-slack).
let signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"
let signedTimestamp = "1531420618"
let signedAt = Date(timeIntervalSince1970: 1_531_420_618)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSlackDecoders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The routes hand the decoders the body's bytes as text exactly like this (SlackRoutes).
    FuzzChecks.run(data, size, target: "SlackDecoders") { slackProblems(Array($0.utf8)) }
}

/// Everything the decoders and the signature check promise about one body; empty when every promise holds.
func slackProblems(_ bytes: [UInt8]) -> [String] {
    // The routes hand the decoders the body exactly like this (SlackRoutes).
    let body = String(decoding: bytes, as: UTF8.self)
    var problems: [String] = []

    func checkInbound(_ request: SlackRequest, decoder: String, dedupePrefix: String) -> Inbound? {
        guard case .inbound(let inbound) = request else { return nil }
        if inbound.sender.platform != SlackInboundDecoder.platform || inbound.conversation.platform != SlackInboundDecoder.platform {
            problems.append("\(decoder): an inbound of platform \(inbound.sender.platform)/\(inbound.conversation.platform)")
        }
        if !inbound.dedupeKey.utf8.starts(with: dedupePrefix.utf8) {
            problems.append("\(decoder): dedupe key \(inbound.dedupeKey.debugDescription) does not start with \(dedupePrefix)")
        }
        if inbound.receivedAt != receivedAt { problems.append("\(decoder): receivedAt changed to \(inbound.receivedAt)") }
        if let text = inbound.text, MentionSafety.containsBroadcast(MentionSafety.neutralize(text)) {
            problems.append("\(decoder): MentionSafety.neutralize left a broadcast mention in the text")
        }
        return inbound
    }

    if let request = try? SlackInboundDecoder.slashCommand(body: body, receivedAt: receivedAt),
        let inbound = checkInbound(request, decoder: "slashCommand", dedupePrefix: "slack:command:")
    {
        let form = FormURLEncoded.decode(body)
        if let command = form["command"], !(inbound.text ?? "").utf8.starts(with: (command + " ").utf8) {
            problems.append("slashCommand: the text \(String(describing: inbound.text)) does not start with the command \(command)")
        }
        if inbound.conversation.channel != form["channel_id"] || inbound.sender.userID != form["user_id"] {
            problems.append("slashCommand: channel or user differ from the form's channel_id and user_id")
        }
    }
    if let request = try? SlackInboundDecoder.event(body: Data(bytes), receivedAt: receivedAt) {
        _ = checkInbound(request, decoder: "event", dedupePrefix: "slack:event:")
    }
    if let request = try? SlackInboundDecoder.interaction(body: body, receivedAt: receivedAt),
        let inbound = checkInbound(request, decoder: "interaction", dedupePrefix: "slack:action:")
    {
        if case .button = inbound.kind {} else { problems.append("interaction: an inbound that is not a button click") }
    }

    // The body's own signature verifies; the same signature on another body, a stale one, or the body taken
    // as its own signature, do not.
    let signature = SlackSignature.sign(body: bytes, timestamp: signedTimestamp, secret: signingSecret)
    do {
        try SlackSignature.verify(body: bytes, timestamp: signedTimestamp, signature: signature, secret: signingSecret, now: signedAt)
    } catch {
        problems.append("the body's own signature was refused: \(error)")
    }
    do {
        try SlackSignature.verify(body: bytes + [0x20], timestamp: signedTimestamp, signature: signature, secret: signingSecret, now: signedAt)
        problems.append("a signature verified a body with a byte appended")
    } catch {
        if error != .badSignature { problems.append("a changed body was refused as \(error), not bad_signature") }
    }
    do {
        try SlackSignature.verify(
            body: bytes, timestamp: signedTimestamp, signature: signature, secret: signingSecret, now: signedAt.addingTimeInterval(301))
        problems.append("a signature 301 s old verified")
    } catch {
        if error != .staleTimestamp { problems.append("a stale request was refused as \(error), not stale_timestamp") }
    }
    do {
        try SlackSignature.verify(body: bytes, timestamp: signedTimestamp, signature: body, secret: signingSecret, now: signedAt)
        problems.append("the body verified as its own signature")
    } catch {}
    // Hostile header values must not crash the check, whatever it answers.
    _ = try? SlackSignature.verify(body: bytes, timestamp: body, signature: signature, secret: signingSecret, now: signedAt)
    return problems
}
