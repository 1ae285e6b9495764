import ChatOpsCore
import Logging

/// Which channels are threads, and the channel each thread is in (discord.com/developers/docs/topics/threads).
/// A message in a thread names only the thread as its channel, while a conversation names the channel and
/// the thread, as `DiscordInteractionDecoder` does for a click there: approvals made in a thread are found
/// by both. Learned from the Gateway (GUILD_CREATE lists a server's channels and active threads;
/// THREAD_CREATE, THREAD_UPDATE, CHANNEL_CREATE and THREAD_LIST_SYNC follow the changes); a channel not seen
/// there is asked for with `GET /channels/{id}` (resources/channel#get-channel: its `type` and `parent_id`).
actor DiscordThreadDirectory {
    /// The events a channel or thread is learned from.
    static let events: Set<String> = ["GUILD_CREATE", "CHANNEL_CREATE", "THREAD_CREATE", "THREAD_UPDATE", "THREAD_LIST_SYNC"]
    /// Beyond this many channels the directory starts over (and relearns).
    static let capacity = 20_000

    private let client: DiscordRESTClient
    private let logger: Logger
    /// Each known channel's parent: a channel for a thread, nil for a channel that is not a thread.
    private var parents: [String: String?] = [:]

    init(client: DiscordRESTClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The channel thread `channel` is in; nil when it is not a thread, or cannot be looked up (then it is
    /// asked for again next time).
    func parent(of channel: String) async -> String? {
        if let known = parents[channel] { return known }
        do {
            guard let answer = try await client.send(.GET, "/channels/\(channel)") else { return nil }
            note(answer)
            return parents[channel] ?? nil
        } catch {
            let metadata: Logger.Metadata = ["discord.channel": "\(channel)", "error": "\(error)"]
            logger.warning("discord channel not looked up; taken as outside a thread", metadata: metadata)
            return nil
        }
    }

    /// Learns the channels and threads an event names (`events`).
    func learn(from event: String, _ data: JSONValue) {
        switch event {
        case "GUILD_CREATE":
            for channel in (data["channels"]?.array ?? []) + (data["threads"]?.array ?? []) { note(channel) }
        case "THREAD_LIST_SYNC":
            for thread in data["threads"]?.array ?? [] { note(thread) }
        default:
            note(data)
        }
    }

    /// Notes a channel object: a thread with its parent, or a channel that is not a thread.
    private func note(_ channel: JSONValue) {
        guard let id = channel["id"]?.string else { return }
        if parents.count >= Self.capacity { parents.removeAll() }
        let isThread = channel["type"]?.int.map { DiscordInteractionDecoder.threadTypes.contains($0) } ?? false
        parents.updateValue(isThread ? channel["parent_id"]?.string : nil, forKey: id)
    }
}
