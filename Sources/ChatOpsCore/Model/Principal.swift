import Foundation

/// A person (or the scheduler) as a chat platform identifies them.
public struct Principal: Codable, Sendable, Hashable {
    /// The platform the id belongs to (`slack`, `console`, `webchat`).
    public var platform: String
    public var userID: String
    public var displayName: String?
    /// Platform group ids (Slack user groups, Matrix rooms …) the person belongs to.
    public var groups: [String]

    public init(platform: String, userID: String, displayName: String? = nil, groups: [String] = []) {
        self.platform = platform
        self.userID = userID
        self.displayName = displayName
        self.groups = groups
    }

    /// `platform:user`, the form used in configuration and audit.
    public var qualifiedID: String { "\(platform):\(userID)" }

    /// How to name the person in a reply.
    public var name: String { displayName ?? userID }
}

/// Where a message lives: a channel and, optionally, a thread in it.
public struct Conversation: Codable, Sendable, Hashable {
    public var platform: String
    public var channel: String
    public var thread: String?
    /// A short-lived handle some platforms give for answering one inbound (Slack's `response_url`);
    /// used for replies only the asker should see.
    public var replyToken: String?

    public init(platform: String, channel: String, thread: String? = nil, replyToken: String? = nil) {
        self.platform = platform
        self.channel = channel
        self.thread = thread
        self.replyToken = replyToken
    }

    /// The same conversation, inside the given thread (unless it is in one already).
    public func inThread(_ thread: String?) -> Conversation {
        Conversation(platform: platform, channel: channel, thread: self.thread ?? thread, replyToken: replyToken)
    }
}
