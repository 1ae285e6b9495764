import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to the bot's web chat exactly as a browser would.
struct WebChatClient {
    let baseURL: String

    struct Message: Decodable {
        var id: Int64
        var channel: String
        var thread: String?
        var author: String
        var text: String
        var reply: Reply

        struct Reply: Decodable {
            var tone: String
            var text: String
            var title: String?
            var footer: String?
            var table: [[String]]
            var buttons: [Button]
        }

        struct Button: Decodable {
            var kind: String
            var value: String
        }
    }

    struct Accepted: Decodable {
        var job: String
        var thread: String?
        var duplicate: Bool
    }

    @discardableResult
    func say(_ text: String, as user: String, channel: String = "ops", thread: String? = nil, id: String? = nil) async throws -> Accepted {
        var body: [String: String] = ["user": user, "text": text, "channel": channel]
        body["thread"] = thread
        body["id"] = id
        return try await post("/chat/messages", body)
    }

    func click(_ kind: String, value: String, as user: String, channel: String = "ops", thread: String?) async throws {
        var body: [String: String] = ["user": user, "action": kind, "value": value, "channel": channel]
        body["thread"] = thread
        let _: Accepted = try await post("/chat/actions", body)
    }

    func messages(channel: String = "ops") async throws -> [Message] {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "\(baseURL)/chat/messages?channel=\(channel)"), timeout: .seconds(2))
        let body = try await response.body.collect(upTo: 16 << 20)
        return try JSONDecoder().decode([Message].self, from: Data(body.readableBytesView))
    }

    /// Polls the transcript until `condition` holds or the deadline passes.
    func waitFor(_ what: String, seconds: Double = 30, _ condition: ([Message]) -> Bool) async throws -> [Message] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let current = try await messages()
            if condition(current) { return current }
            guard Date() < deadline else {
                throw BotProcessError(
                    "timed out waiting for \(what); transcript:\n" + current.map { "\($0.author): \($0.text)" }.joined(separator: "\n"))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func get(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + path), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    /// Posts a form body with extra headers and returns the status code.
    func postRaw(_ path: String, body: String, headers: [String: String]) async throws -> Int {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    private func post<T: Decodable>(_ path: String, _ body: [String: String]) async throws -> T {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .accepted else { throw BotProcessError("\(path) answered \(response.status): \(String(buffer: data))") }
        return try JSONDecoder().decode(T.self, from: Data(data.readableBytesView))
    }
}
