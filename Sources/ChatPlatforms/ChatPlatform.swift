import ChatOpsCore
import Foundation
import ServiceLifecycle

/// A chat platform, both halves. Inbound: the webhook endpoints it receives requests on (each
/// verifies and decodes, and says how to acknowledge) and the outward connections it keeps (Socket
/// Mode, a Gateway), which hand what they receive to the same intake. Outbound: render a `Reply`,
/// post it and update it.
public protocol ChatPlatform: Sendable {
    /// The name inbound messages carry in `Conversation.platform`.
    var name: String { get }
    /// Posts a reply.
    /// - Parameters:
    ///   - reply: what to say; the platform renders it and neutralises broadcast mentions.
    ///   - conversation: the channel and thread.
    ///   - idempotencyKey: the same key never posts twice, even when a job is retried after a crash.
    /// - Returns: a reference for later updates.
    func post(_ reply: Reply, in conversation: Conversation, idempotencyKey: String) async throws -> MessageRef
    /// Posts a file in the conversation, once per `idempotencyKey` (a crash between the upload and
    /// its record may post it again: uploads carry no key a platform can look up).
    /// - Returns: false when the platform takes no files (the reply alone is posted).
    func attach(_ file: Attachment, in conversation: Conversation, idempotencyKey: String) async throws -> Bool
    /// Replaces a posted message (progress, approval status). Platforms that cannot edit post anew.
    func update(_ message: MessageRef, with reply: Reply) async throws
    /// Whether posted messages can be edited in place, so a summary can appear as it is written.
    var supportsEditing: Bool { get }
    /// Whether conversations have threads; without them a channel is one room, and votes count from it.
    var hasThreads: Bool { get }
    /// The URLs the platform sends requests to.
    var webhooks: [any WebhookEndpoint] { get }
    /// Connections the bot opens to the platform, run as services beside the HTTP server.
    var connections: [any Service] { get }
    /// The platform groups a verified person belongs to (Slack user groups, Discord roles), by the
    /// platform's own ids (`S0614TZR7`; roles name them `slack:S0614TZR7`), for roles granted to
    /// groups. Platforms that deliver them with each request have put them in `principal.groups`.
    func groups(of principal: Principal) async throws -> [String]
}

extension ChatPlatform {
    public var supportsEditing: Bool { true }
    public var hasThreads: Bool { true }
    public var webhooks: [any WebhookEndpoint] { [] }
    public var connections: [any Service] { [] }
    public func groups(of principal: Principal) async throws -> [String] { principal.groups }
    public func attach(_ file: Attachment, in conversation: Conversation, idempotencyKey: String) async throws -> Bool { false }
}
