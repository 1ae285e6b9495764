import ChatOpsCore
import Foundation

/// An interaction as Discord sends it to the Interactions Endpoint URL: the fields the bot reads
/// (discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
/// Snowflake ids stay strings: they are 64-bit and Discord sends them as strings.
struct DiscordInteraction: Decodable, Sendable {
    var id: String
    var applicationID: String?
    /// 1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 APPLICATION_COMMAND_AUTOCOMPLETE, 5 MODAL_SUBMIT.
    var type: Int
    /// The 15-minute credential for the response and follow-ups.
    var token: String?
    var data: Payload?
    var guildID: String?
    var channelID: String?
    /// The channel the interaction happened in; a thread is a channel with a parent.
    var channel: Channel?
    /// The person, in a server (with their roles there).
    var member: Member?
    /// The person, in a direct message.
    var user: User?
    /// For a component: the message it sits on.
    var message: Message?

    enum CodingKeys: String, CodingKey {
        case id, type, token, data, channel, member, user, message
        case applicationID = "application_id", guildID = "guild_id", channelID = "channel_id"
    }

    /// `data`: a command's name and options, or a component's id.
    struct Payload: Decodable, Sendable {
        var name: String?
        var options: [Option]?
        var customID: String?
        /// 2 for a button; selects and text inputs have other types.
        var componentType: Int?

        enum CodingKeys: String, CodingKey {
            case name, options
            case customID = "custom_id", componentType = "component_type"
        }
    }

    /// One option of a command. Sub-commands (type 1) and groups (type 2) hold options of their own;
    /// the others hold a value: a string, a number or a boolean.
    struct Option: Decodable, Sendable {
        var name: String
        var type: Int
        var value: JSONValue?
        var options: [Option]?
    }

    struct Channel: Decodable, Sendable {
        var id: String
        /// 10, 11 and 12 are threads (announcement, public, private).
        var type: Int?
        var parentID: String?

        enum CodingKeys: String, CodingKey {
            case id, type
            case parentID = "parent_id"
        }
    }

    struct Member: Decodable, Sendable {
        var user: User?
        /// The ids of the person's roles in the server.
        var roles: [String]?
        /// The person's nickname in the server.
        var nick: String?
    }

    struct User: Decodable, Sendable {
        var id: String
        var username: String?
        var globalName: String?

        enum CodingKeys: String, CodingKey {
            case id, username
            case globalName = "global_name"
        }
    }

    struct Message: Decodable, Sendable {
        var id: String
    }
}
