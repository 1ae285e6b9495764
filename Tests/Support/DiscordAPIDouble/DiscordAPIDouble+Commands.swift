import ChatOpsCore
import Foundation
import Hummingbird

/// Bulk Overwrite Global (or Guild) Application Commands and their GETs (interactions/application-commands.mdx). The
/// list replaces the old one; a command keeps its id when one of the same name and type existed. Checked as Discord does:
/// `name` of 1 to 32 lowercase letters, digits, `-`, `_` or `'` for slash commands; `description` of 1 to 100 characters
/// for slash commands; at most 25 options, each named and described the same way; names unique per type.
extension DiscordAPIDouble {
    func putCommands(application: String, guild: String?, _ body: JSONValue) -> Response {
        guard application == applicationID else { return Self.error(403, code: 50001, "Missing Access") }
        guard let list = body.array else {
            var errors = FormErrors()
            errors.add([], code: "BASE_TYPE_ARRAY", message: "Must be an array.")
            return Self.invalidFormBody(errors)
        }
        var errors = FormErrors()
        var seen: Set<String> = []
        for (index, command) in list.enumerated() {
            let type = command["type"]?.int ?? 1
            Self.checkCommand(command, slash: type == 1, at: ["\(index)"], &errors)
            if !seen.insert("\(type):\(command["name"]?.string ?? "")").inserted {
                errors.add(["\(index)", "name"], code: "APPLICATION_COMMANDS_DUPLICATE_NAME", message: "Application command names must be unique")
            }
        }
        guard errors.isEmpty else { return Self.invalidFormBody(errors) }
        let saved = withState { state -> [JSONValue] in
            let earlier = state.commands[guild ?? ""] ?? []
            let overwritten = list.map { command -> JSONValue in
                var command = command
                let type = command["type"]?.int ?? 1
                let same = earlier.first { $0["name"] == command["name"] && ($0["type"]?.int ?? 1) == type }
                command["id"] = same?["id"] ?? .string(state.nextSnowflake())
                command["application_id"] = .string(application)
                command["version"] = .string(state.nextSnowflake())
                command["type"] = .number(Double(type))
                command["default_member_permissions"] = command["default_member_permissions"] ?? .null
                command["nsfw"] = command["nsfw"] ?? false
                if let guild { command["guild_id"] = .string(guild) }
                return command
            }
            state.commands[guild ?? ""] = overwritten
            return overwritten
        }
        return Self.json(.array(saved))
    }

    func getCommands(application: String, guild: String?) -> Response {
        guard application == applicationID else { return Self.error(403, code: 50001, "Missing Access") }
        return Self.json(.array(commands(guild: guild)))
    }

    private static func checkCommand(_ command: JSONValue, slash: Bool, at path: [String], _ errors: inout FormErrors) {
        checkName(command["name"]?.string, slash: slash, at: path + ["name"], &errors)
        if slash { checkDescription(command["description"]?.string, at: path + ["description"], &errors) }
        let options = command["options"]?.array ?? []
        errors.checkCount(options, atMost: 25, at: path + ["options"])
        for (index, option) in options.enumerated() {
            let optionPath = path + ["options", "\(index)"]
            checkName(option["name"]?.string, slash: true, at: optionPath + ["name"], &errors)
            checkDescription(option["description"]?.string, at: optionPath + ["description"], &errors)
            errors.checkCount(option["choices"]?.array, atMost: 25, at: optionPath + ["choices"])
        }
    }

    private static func checkName(_ name: String?, slash: Bool, at path: [String], _ errors: inout FormErrors) {
        guard let name else { return errors.add(path, code: "BASE_TYPE_REQUIRED", message: "This field is required") }
        errors.checkLength(name, 1...32, at: path)
        let allowed = name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_'".unicodeScalars.contains($0)
        }
        if slash, !name.isEmpty, !allowed || name != name.lowercased() {
            errors.add(path, code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid")
        }
    }

    private static func checkDescription(_ description: String?, at path: [String], _ errors: inout FormErrors) {
        guard let description else { return errors.add(path, code: "BASE_TYPE_REQUIRED", message: "This field is required") }
        errors.checkLength(description, 1...100, at: path)
    }
}
