import ChatOpsCore
import Foundation

/// A message with a file, as Discord takes it (discord.com/developers/docs/reference#uploading-files):
/// `multipart/form-data` with the JSON body in the part `payload_json`, listing the file under
/// `attachments` by the index of its part `files[0]`.
struct DiscordMultipart: Sendable, Equatable {
    var contentType: String
    var bytes: [UInt8]

    /// - Parameters:
    ///   - payload: the message body (a JSON object).
    ///   - file: the file to send with it.
    ///   - boundary: the separator between parts; it must not occur in the payload or the file.
    init(payload: JSONValue, file: DiscordRESTClient.File, boundary: String = "chatops-" + RandomID.make()) throws {
        var payload = payload
        payload["attachments"] = .array([["id": 0, "filename": .string(file.name)]])
        var bytes: [UInt8] = []
        func add(_ text: String) { bytes += Array(text.utf8) }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"payload_json\"\r\nContent-Type: application/json\r\n\r\n")
        bytes += Array(try payload.data())
        add("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"\(file.name)\"\r\n")
        add("Content-Type: \(file.contentType)\r\n\r\n")
        bytes += file.bytes
        add("\r\n--\(boundary)--\r\n")
        self.contentType = "multipart/form-data; boundary=\(boundary)"
        self.bytes = bytes
    }
}
