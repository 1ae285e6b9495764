import ChatOpsCore
import Foundation
import Testing

@testable import ChatPlatforms

@Suite("Discord rate limits and refusals")
struct DiscordRateLimitsTests {
    @Test func routesKeepTheMajorParameterAndHideTokens() {
        #expect(DiscordRateLimits.route(method: "POST", path: "/channels/123/messages") == "POST /channels/123/messages")
        #expect(DiscordRateLimits.route(method: "PATCH", path: "/channels/123/messages/456") == "PATCH /channels/123/messages/{id}")
        #expect(DiscordRateLimits.route(method: "POST", path: "/channels/123/messages/456/threads") == "POST /channels/123/messages/{id}/threads")
        let webhook = DiscordRateLimits.route(method: "PATCH", path: "/webhooks/42/secret-token/messages/@original?wait=true")
        #expect(webhook.hasPrefix("PATCH /webhooks/42/t:"))
        #expect(webhook.hasSuffix("/messages/@original"))
        #expect(!webhook.contains("secret-token"), "an interaction token is a credential; routes are logged")
        #expect(webhook != DiscordRateLimits.route(method: "PATCH", path: "/webhooks/42/other-token/messages/@original"))
        #expect(DiscordRateLimits.major(of: webhook).hasPrefix("webhooks/42/t:"), "an interaction's calls are counted together")
        #expect(DiscordRateLimits.major(of: webhook).split(separator: "/").count == 3)
        #expect(DiscordRateLimits.major(of: "POST /channels/123/messages/{id}/threads") == "channels/123")
    }

    @Test func anEmptyBucketHoldsItsRoutesUntilItResets() async {
        let limits = DiscordRateLimits()
        let route = DiscordRateLimits.route(method: "POST", path: "/channels/1/messages")
        let edit = DiscordRateLimits.route(method: "PATCH", path: "/channels/1/messages/9")
        let elsewhere = DiscordRateLimits.route(method: "POST", path: "/channels/2/messages")
        await limits.record(.init(bucket: "b1", remaining: 0, resetAfter: .seconds(2)), for: route)
        await limits.record(.init(bucket: "b1", remaining: 4, resetAfter: .seconds(2)), for: elsewhere)
        await limits.record(.init(bucket: "b1"), for: edit)
        let now = ContinuousClock.now
        let wait = await limits.delay(for: route, at: now)
        #expect(wait != nil && wait! > .milliseconds(1_500) && wait! <= .seconds(2))
        #expect(await limits.delay(for: edit, at: now) != nil, "routes of one bucket share its count for one channel")
        #expect(await limits.delay(for: elsewhere, at: now) == nil, "another channel has its own count")
        #expect(await limits.delay(for: route, at: now + .seconds(3)) == nil, "the count starts again after the reset")
    }

    @Test func aGlobalLimitHoldsEveryRoute() async {
        let limits = DiscordRateLimits()
        let route = DiscordRateLimits.route(method: "POST", path: "/channels/1/messages")
        await limits.record(.init(retryAfter: .milliseconds(2_500), isGlobal: true), for: route)
        let other = DiscordRateLimits.route(method: "GET", path: "/guilds/7/roles")
        #expect(await limits.delay(for: other, at: ContinuousClock.now) != nil)
        #expect(await limits.delay(for: other, at: ContinuousClock.now + .seconds(3)) == nil)
    }

    @Test func aRouteLimitedWithoutABucketWaitsAsAsked() async {
        let limits = DiscordRateLimits()
        let route = DiscordRateLimits.route(method: "POST", path: "/channels/1/messages")
        await limits.record(.init(retryAfter: .seconds(1)), for: route)
        #expect(await limits.delay(for: route, at: ContinuousClock.now) != nil)
    }

    @Test func refusalsExplainThemselves() {
        #expect(DiscordAPIError(route: "r", status: 403, code: 50013, message: "Missing Permissions").explanation.contains("Send Messages"))
        #expect(DiscordAPIError(route: "r", status: 403, code: 50001, message: "").explanation.contains("Missing Access"))
        #expect(DiscordAPIError(route: "r", status: 401, code: 0, message: "401: Unauthorized").explanation.contains("bot token"))
        #expect(DiscordAPIError(route: "r", status: 404, code: 10015, message: "Unknown Webhook").isExpiredToken)
        #expect(!DiscordAPIError(route: "r", status: 404, code: 10008, message: "Unknown Message").isExpiredToken)
        #expect(DiscordAPIError(route: "r", status: 400, code: 160004, message: "").description.contains("already started"))
    }
}
