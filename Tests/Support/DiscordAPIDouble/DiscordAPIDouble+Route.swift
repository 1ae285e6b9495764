import Foundation

extension DiscordAPIDouble {
    /// A request's route, read from its method and its path after `/api/v10`.
    enum Route: Equatable {
        case createMessage(channel: String)
        case editMessage(channel: String, message: String)
        case startThread(channel: String, message: String)
        case editOriginal(application: String, token: String)
        case followUp(application: String, token: String)
        case editFollowUp(application: String, token: String, message: String)
        case putCommands(application: String, guild: String?)
        case getCommands(application: String, guild: String?)
        case methodNotAllowed
        case notFound

        init(method: String, _ path: [String]) {
            let want = { (expected: String, route: Route) -> Route in method == expected ? route : .methodNotAllowed }
            switch (path.first, path.count) {
            case ("channels"?, 3) where path[2] == "messages":
                self = want("POST", .createMessage(channel: path[1]))
            case ("channels"?, 4) where path[2] == "messages":
                self = want("PATCH", .editMessage(channel: path[1], message: path[3]))
            case ("channels"?, 5) where path[2] == "messages" && path[4] == "threads":
                self = want("POST", .startThread(channel: path[1], message: path[3]))
            case ("webhooks"?, 3):
                self = want("POST", .followUp(application: path[1], token: path[2]))
            case ("webhooks"?, 5) where path[3] == "messages" && path[4] == "@original":
                self = want("PATCH", .editOriginal(application: path[1], token: path[2]))
            case ("webhooks"?, 5) where path[3] == "messages":
                self = want("PATCH", .editFollowUp(application: path[1], token: path[2], message: path[4]))
            case ("applications"?, 3) where path[2] == "commands":
                let put = want("PUT", .putCommands(application: path[1], guild: nil))
                self = method == "GET" ? .getCommands(application: path[1], guild: nil) : put
            case ("applications"?, 5) where path[2] == "guilds" && path[4] == "commands":
                let guild = path[3]
                let put = want("PUT", .putCommands(application: path[1], guild: guild))
                self = method == "GET" ? .getCommands(application: path[1], guild: guild) : put
            default:
                self = .notFound
            }
        }

        /// The interaction webhooks take no bot token and are free of the global rate limit.
        var isInteractionWebhook: Bool {
            switch self {
            case .editOriginal, .followUp, .editFollowUp: return true
            default: return false
            }
        }

        /// The rate-limit bucket: `key` counts requests per top-level resource (channel, webhook with its token,
        /// application), `id` is the `X-RateLimit-Bucket` value, which leaves the resource out (topics/rate-limits.mdx).
        var bucket: (key: String, id: String)? {
            switch self {
            case .createMessage(let channel), .editMessage(let channel, _), .startThread(let channel, _):
                return ("channel:\(channel)", "5f4dcc3b5aa765d61d8327deb882cf99")
            case .editOriginal(let application, let token), .followUp(let application, let token), .editFollowUp(let application, let token, _):
                return ("webhook:\(application)/\(token)", "9e107d9d372bb6826bd81d3542a419d6")
            case .putCommands(let application, let guild), .getCommands(let application, let guild):
                return ("application:\(application)/\(guild ?? "global")", "e4d909c290d0fb1ca068ffaddf22cbd0")
            case .methodNotAllowed, .notFound:
                return nil
            }
        }
    }

    /// A path's segments after `/api/v10`, percent-decoded, without its query.
    static func segments(_ path: String) -> [String] {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var segments = bare.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if segments.starts(with: ["api", "v10"]) { segments.removeFirst(2) }
        return segments
    }

    /// Whether a call matches a test's pattern: same number of segments, each equal or `*`, and the method if given.
    static func matches(_ pattern: String, method wanted: String?, _ path: String, _ method: String) -> Bool {
        let expected = segments(pattern)
        let actual = segments(path)
        guard wanted == nil || wanted?.uppercased() == method, expected.count == actual.count else { return false }
        return zip(expected, actual).allSatisfy { $0 == "*" || $0 == $1 }
    }
}
