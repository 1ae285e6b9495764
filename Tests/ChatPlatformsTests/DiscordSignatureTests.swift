import ChatOpsCore
import Foundation
import Testing

@testable import ChatPlatforms

@Suite("Discord Ed25519 signatures")
struct DiscordSignatureTests {
    /// RFC 8032 §7.1, TEST 1: the public key and its signature of the empty message.
    static let publicKeyHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    static let emptyMessageSignature =
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    /// The same key signing a Discord-shaped PING (PLATFORMS.md §8.2): timestamp ‖ body.
    static let timestamp = "1700000000"
    static let body = Array(#"{"type":1}"#.utf8)
    static let signature =
        "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f"
    static let now = Date(timeIntervalSince1970: 1_700_000_010)

    func verify(
        body: [UInt8] = Self.body, timestamp: String? = Self.timestamp, signature: String? = Self.signature, now: Date = Self.now
    ) throws(DiscordSignature.Failure) {
        guard let key = DiscordSignature.publicKey(hex: Self.publicKeyHex) else { throw .malformedSignature }
        try DiscordSignature.verify(body: body, timestamp: timestamp, signature: signature, publicKey: key, now: now, maxAge: 300)
    }

    @Test func reproducesRFC8032TestOne() throws {
        let key = try #require(DiscordSignature.publicKey(hex: Self.publicKeyHex))
        try DiscordSignature.check(signature: Self.emptyMessageSignature, over: [], publicKey: key)
        let other = String(Self.emptyMessageSignature.dropLast()) + "c"
        #expect(throws: DiscordSignature.Failure.badSignature) { try DiscordSignature.check(signature: other, over: [], publicKey: key) }
    }

    @Test func acceptsTheDiscordShapedVector() throws {
        try verify()
        try verify(signature: Self.signature.uppercased())
    }

    @Test func refusesAnotherBodyOrTimestamp() {
        var flipped = Self.body
        flipped[flipped.count - 2] ^= 0x01
        #expect(throws: DiscordSignature.Failure.badSignature) { try verify(body: flipped) }
        #expect(throws: DiscordSignature.Failure.badSignature) { try verify(body: Self.body + [0x20]) }
        #expect(throws: DiscordSignature.Failure.badSignature) { try verify(timestamp: "1700000001") }
    }

    @Test func refusesMalformedAndMissingSignatures() {
        #expect(throws: DiscordSignature.Failure.malformedSignature) { try verify(signature: String(Self.signature.dropLast())) }
        #expect(throws: DiscordSignature.Failure.malformedSignature) { try verify(signature: "zz" + Self.signature.dropFirst(2)) }
        #expect(throws: DiscordSignature.Failure.malformedSignature) { try verify(signature: String(Self.signature.dropLast(2))) }
        #expect(throws: DiscordSignature.Failure.malformedSignature) { try verify(signature: "") }
        #expect(throws: DiscordSignature.Failure.missingSignature) { try verify(signature: nil) }
        #expect(throws: DiscordSignature.Failure.missingSignature) { try verify(timestamp: nil) }
    }

    @Test func refusesStaleFutureAndUnreadableTimestamps() throws {
        let signedAt = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(throws: DiscordSignature.Failure.staleTimestamp) { try verify(now: signedAt.addingTimeInterval(301)) }
        #expect(throws: DiscordSignature.Failure.staleTimestamp) { try verify(now: signedAt.addingTimeInterval(-301)) }
        #expect(throws: DiscordSignature.Failure.staleTimestamp) { try verify(timestamp: "yesterday") }
        try verify(now: signedAt.addingTimeInterval(299))
        try verify(now: signedAt.addingTimeInterval(-299))
    }

    @Test func readsOnlyWholePublicKeys() {
        #expect(DiscordSignature.publicKey(hex: Self.publicKeyHex.uppercased()) != nil)
        #expect(DiscordSignature.publicKey(hex: String(Self.publicKeyHex.dropLast())) == nil)
        #expect(DiscordSignature.publicKey(hex: String(Self.publicKeyHex.dropLast(2))) == nil)
        #expect(DiscordSignature.publicKey(hex: "g" + Self.publicKeyHex.dropFirst()) == nil)
    }

    @Test func theEndpointRefusesBeforeReadingAndAnswersASignedPing() async throws {
        let endpoint = DiscordInteractionsEndpoint(
            path: "/discord/interactions", publicKey: try #require(DiscordSignature.publicKey(hex: Self.publicKeyHex)), maxSignatureAge: 300,
            deferral: DiscordDeferral(parser: nil, roles: RoleDirectory()))
        func request(signature: String) -> WebhookRequest {
            WebhookRequest(
                path: endpoint.path, headers: ["X-Signature-Ed25519": signature, "X-Signature-Timestamp": Self.timestamp], body: Self.body,
                receivedAt: Self.now)
        }
        guard case .answer(let pong, let note) = try await endpoint.receive(request(signature: Self.signature)) else {
            Issue.record("a signed PING is answered")
            return
        }
        #expect(pong == .json(["type": 1]))
        #expect(note == "ping")
        let forged = String(Self.signature.dropLast()) + (Self.signature.hasSuffix("f") ? "e" : "f")
        guard case .unauthorized(let reason) = try await endpoint.receive(request(signature: forged)) else {
            Issue.record("a forged PING is refused")
            return
        }
        #expect(reason == "bad_signature")
    }
}
