import ChatPlatforms
import Foundation
import SlackAPIDouble
import Testing

@Suite("Slack v0 signatures")
struct SlackSignatureTests {
    /// Slack's published example (api.slack.com/authentication/verifying-requests-from-slack).
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let timestamp = "1531420618"
    static let body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    static let expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    static let then = Date(timeIntervalSince1970: 1_531_420_618)

    @Test func reproducesSlacksPublishedExample() throws {
        #expect(SlackSignature.sign(body: Array(Self.body.utf8), timestamp: Self.timestamp, secret: Self.secret) == Self.expected)
        try SlackSignature.verify(
            body: Array(Self.body.utf8), timestamp: Self.timestamp, signature: Self.expected, secret: Self.secret, now: Self.then)
    }

    @Test func oneKeyedSignatureSignsRequestAfterRequestAlike() throws {
        let signature = SlackSignature(secret: Self.secret)
        let other = Array("command=%2Fhelp&text=".utf8)
        for _ in 0..<3 {
            #expect(signature.sign(body: Array(Self.body.utf8), timestamp: Self.timestamp) == Self.expected)
            #expect(
                signature.sign(body: other, timestamp: "1700000000") == SlackSignature.sign(body: other, timestamp: "1700000000", secret: Self.secret)
            )
        }
        try signature.verify(body: Array(Self.body.utf8), timestamp: Self.timestamp, signature: Self.expected, now: Self.then)
    }

    @Test(arguments: ["", "command=%2Fdeploy&text=fraud+v12+--env+prod", #"{"type":"event_callback","event":{"text":"ünïcödé <@U1>"}}"#])
    func agreesWithTheSlackSDKBothWays(body: String) async throws {
        let timestamp = "1700000000"
        let reference = try await ReferenceSigner.sign(body: body, timestamp: timestamp, secret: "s3cr3t")
        #expect(reference == SlackSignature.sign(body: Array(body.utf8), timestamp: timestamp, secret: "s3cr3t"))
        try SlackSignature.verify(
            body: Array(body.utf8), timestamp: timestamp, signature: reference, secret: "s3cr3t", now: Date(timeIntervalSince1970: 1_700_000_100))
        let ours = SlackSignature.sign(body: Array(body.utf8), timestamp: timestamp, secret: "s3cr3t")
        let valid = try await ReferenceSigner.isValid(body: body, timestamp: timestamp, signature: ours, secret: "s3cr3t", now: 1_700_000_100)
        #expect(valid)
    }

    @Test func forgedStaleFutureAndMissingRequestsAreRefused() {
        let body = Array(Self.body.utf8)
        #expect(throws: SlackSignature.Failure.badSignature) {
            try SlackSignature.verify(
                body: body + Array("------".utf8), timestamp: Self.timestamp, signature: Self.expected, secret: Self.secret, now: Self.then)
        }
        #expect(throws: SlackSignature.Failure.badSignature) {
            try SlackSignature.verify(body: body, timestamp: Self.timestamp, signature: Self.expected, secret: "another-secret", now: Self.then)
        }
        #expect(throws: SlackSignature.Failure.staleTimestamp) {
            try SlackSignature.verify(
                body: body, timestamp: Self.timestamp, signature: Self.expected, secret: Self.secret, now: Self.then.addingTimeInterval(301))
        }
        #expect(throws: SlackSignature.Failure.staleTimestamp) {
            try SlackSignature.verify(
                body: body, timestamp: Self.timestamp, signature: Self.expected, secret: Self.secret, now: Self.then.addingTimeInterval(-301))
        }
        #expect(throws: SlackSignature.Failure.missingHeaders) {
            try SlackSignature.verify(body: body, timestamp: nil, signature: Self.expected, secret: Self.secret, now: Self.then)
        }
        #expect(throws: SlackSignature.Failure.missingHeaders) {
            try SlackSignature.verify(body: body, timestamp: "yesterday", signature: Self.expected, secret: Self.secret, now: Self.then)
        }
    }

    @Test func theSlackSDKRejectsWhatWeReject() async throws {
        let stale = try await ReferenceSigner.isValid(
            body: Self.body, timestamp: Self.timestamp, signature: Self.expected, secret: Self.secret, now: 1_531_420_618 + 301)
        #expect(stale == false)
        let fresh = try await ReferenceSigner.isValid(
            body: Self.body, timestamp: Self.timestamp, signature: Self.expected, secret: Self.secret, now: 1_531_420_618)
        #expect(fresh)
    }
}
