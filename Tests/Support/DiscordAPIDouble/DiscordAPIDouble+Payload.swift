import ChatOpsCore
import Foundation
import Hummingbird

extension DiscordAPIDouble {
    /// A request body as Discord reads it: `application/json`, or `multipart/form-data` whose `payload_json` part holds the
    /// JSON and whose `files[n]` parts hold files (reference.mdx, Uploading Files). Any other type is refused with 50035,
    /// and JSON that does not parse with 50109.
    enum Payload {
        case decoded(JSONValue, files: [MultipartForm.Part])
        case refused(Response)

        init(_ bytes: [UInt8], contentType: String?) {
            let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            switch mediaType ?? "" {
            case "application/json":
                guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
                    self = .refused(DiscordAPIDouble.invalidJSON)
                    return
                }
                self = .decoded(body, files: [])
            case "multipart/form-data":
                guard let form = MultipartForm(body: bytes, contentType: contentType ?? "") else {
                    var errors = FormErrors()
                    errors.add([], code: "MULTIPART_FORM_INVALID", message: "The multipart body could not be read.")
                    self = .refused(DiscordAPIDouble.invalidFormBody(errors))
                    return
                }
                self = Self.read(form)
            default:
                var errors = FormErrors()
                let expected = "Expected \"Content-Type\" header to be one of {'application/json', 'multipart/form-data'}."
                errors.add([], code: "CONTENT_TYPE_INVALID", message: expected)
                self = .refused(DiscordAPIDouble.invalidFormBody(errors))
            }
        }

        /// The JSON body, or null when it was refused.
        var body: JSONValue {
            if case .decoded(let body, _) = self { return body }
            return .null
        }

        private static func read(_ form: MultipartForm) -> Payload {
            var body: JSONValue = .object([:])
            if let part = form.parts.first(where: { $0.name == "payload_json" }) {
                guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(part.bytes)) else {
                    return .refused(DiscordAPIDouble.invalidJSON)
                }
                body = json
            }
            let isFile = { (part: MultipartForm.Part) in part.name.hasPrefix("files[") && part.name.hasSuffix("]") }
            for part in form.parts where part.name != "payload_json" && !isFile(part) {
                body[part.name] = .string(String(decoding: part.bytes, as: UTF8.self))
            }
            return .decoded(body, files: form.parts.filter(isFile))
        }
    }
}
