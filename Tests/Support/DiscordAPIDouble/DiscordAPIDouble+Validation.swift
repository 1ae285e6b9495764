import ChatOpsCore
import Foundation
import Hummingbird

extension DiscordAPIDouble {
    /// Discord's refusal of a message body, if it has one (resources/message.mdx, components/reference.mdx): 50006 for a
    /// new message with nothing to show, 50035 with the fields concerned when one is out of bounds.
    static func refusal(ofMessage body: JSONValue, files: [MultipartForm.Part], creating: Bool) -> Response? {
        if creating, files.isEmpty, !hasSomethingToShow(body) { return error(400, code: 50006, "Cannot send an empty message") }
        var errors = FormErrors()
        if let content = body["content"]?.string { errors.checkLength(content, 0...2000, at: ["content"]) }
        if creating, let nonce = body["nonce"]?.string { errors.checkLength(nonce, 0...25, at: ["nonce"]) }
        errors.checkCount(body["embeds"]?.array, atMost: 10, at: ["embeds"])
        if (body["flags"]?.int ?? 0) & componentsV2Flag == 0 { checkComponents(body["components"]?.array ?? [], &errors) }
        checkAllowedMentions(body["allowed_mentions"], &errors)
        return errors.isEmpty ? nil : invalidFormBody(errors)
    }

    private static func hasSomethingToShow(_ body: JSONValue) -> Bool {
        if let content = body["content"]?.string, !content.isEmpty { return true }
        return ["embeds", "components", "sticker_ids"].contains { !(body[$0]?.array ?? []).isEmpty } || body["poll"] != nil
    }

    /// Classic components: at most 5 action rows of at most 5 components. A button's `label` has at most 80 characters;
    /// a link button (style 5) needs a `url`; every other button but a premium one (style 6) needs a `custom_id` of 1 to
    /// 100 characters, unique in the message.
    private static func checkComponents(_ rows: [JSONValue], _ errors: inout FormErrors) {
        errors.checkCount(rows, atMost: 5, at: ["components"])
        var customIDs: Set<String> = []
        for (row, rowValue) in rows.enumerated() {
            let children = rowValue["components"]?.array ?? []
            errors.checkCount(children, atMost: 5, at: ["components", "\(row)", "components"])
            for (column, button) in children.enumerated() where button["type"]?.int == 2 {
                let path = ["components", "\(row)", "components", "\(column)"]
                if let label = button["label"]?.string { errors.checkLength(label, 0...80, at: path + ["label"]) }
                let style = button["style"]?.int ?? 0
                if style == 5, button["url"]?.string == nil {
                    errors.add(path + ["url"], code: "BASE_TYPE_REQUIRED", message: "This field is required")
                }
                guard style != 5, style != 6 else { continue }
                let customID = button["custom_id"]?.string ?? ""
                errors.checkLength(customID, 1...100, at: path + ["custom_id"])
                if !customID.isEmpty, !customIDs.insert(customID).inserted {
                    errors.add(path + ["custom_id"], code: "COMPONENT_CUSTOM_ID_DUPLICATED", message: "Component custom id cannot be duplicated")
                }
            }
        }
    }

    /// `parse` lists only `everyone`, `roles` and `users`, never a type also given as a list of ids (at most 100 each).
    private static func checkAllowedMentions(_ value: JSONValue?, _ errors: inout FormErrors) {
        guard let mentions = value?.object else { return }
        let parse = mentions["parse"]?.array ?? []
        for (index, kind) in parse.enumerated() where !["everyone", "roles", "users"].contains(kind.string ?? "") {
            let message = "Value must be one of ('everyone', 'roles', 'users')."
            errors.add(["allowed_mentions", "parse", "\(index)"], code: "BASE_TYPE_CHOICES", message: message)
        }
        for kind in ["users", "roles"] {
            errors.checkCount(mentions[kind]?.array, atMost: 100, at: ["allowed_mentions", kind])
            if parse.contains(.string(kind)), mentions[kind] != nil {
                let message = "parse:[\"\(kind)\"] and \(kind): [ids...] are mutually exclusive."
                errors.add(["allowed_mentions"], code: "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", message: message)
            }
        }
    }
}
