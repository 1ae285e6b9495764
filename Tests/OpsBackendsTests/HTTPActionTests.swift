import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import LocalServer
import NIOCore
import OpsBackends
import Synchronization
import Testing

/// An internal API as a team might call from a command: it records what it received and answers
/// like a deployment service (JSON, 200 / 409 / slow).
final class InternalAPI: Sendable {
    struct Received: Sendable {
        var method: String
        var path: String
        var authorization: String?
        var contentType: String?
        var idempotencyKey: String?
        var body: String
    }

    private let received = Mutex<[Received]>([])
    var requests: [Received] { received.withLock { $0 } }

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.on("/api/v1/applications/{name}/sync", method: .post) { request, context in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
            self.received.withLock {
                $0.append(
                    Received(
                        method: "POST", path: request.uri.path, authorization: request.headers[.authorization],
                        contentType: request.headers[.contentType], idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!], body: body))
            }
            let name = context.parameters.get("name") ?? ""
            if name == "busy" {
                return Response(
                    status: .conflict, headers: [.contentType: "application/json"],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string: #"{"error": "another operation is in progress", "echo": "Bearer argo-secret-token-123"}"#)))
            }
            if name == "slow" { try await Task.sleep(for: .seconds(3)) }
            if name == "stall" {
                // Headers and the start of the body at once, then nothing for a minute.
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: #"{"status": "#))
                        try await Task.sleep(for: .seconds(60))
                        try await writer.finish(nil)
                    })
            }
            if name.hasPrefix("moved-to-") {
                return Response(
                    status: .temporaryRedirect, headers: [.location: "http://127.0.0.1:\(name.dropFirst(9))/api/v1/applications/stolen/sync"])
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"{"metadata": {"name": "\#(name)"}, "status": {"sync": {"status": "Synced", "revision": "abc123"}, "replicas": 3, "healthy": true}}"#
                    )))
        }
        return router
    }
}

@Suite("HTTP actions")
struct HTTPActionTests {
    static func backend(port: Int, timeout: Duration = .seconds(5)) -> HTTPActionBackend {
        HTTPActionBackend(
            name: "argo",
            settings: .init(
                baseURL: "http://127.0.0.1:\(port)", headers: ["Authorization": "Bearer argo-secret-token-123"], timeout: timeout,
                idempotencyHeader: "Idempotency-Key"))
    }

    @Test func aTemplatedRequestIsSentWithTheConfiguredCredentialsAndFieldsAreReported() async throws {
        let api = InternalAPI()
        try await LocalServer.run(api.router()) { port in
            let outcome = try await Self.backend(port: port).execute(
                action(
                    "argo", "request",
                    [
                        "method": "post", "path": "/api/v1/applications/fraud/sync", "body": #"{"revision": "v12", "prune": false}"#,
                        "fields": "status.sync.status, status.replicas, status.healthy, metadata, missing.field",
                    ]), context: ProgressMessages().context("exec-7"))
            #expect(outcome.status == .succeeded)
            #expect(outcome.headline == "POST /api/v1/applications/fraud/sync answered 200 OK.")
            #expect(outcome.facts.map(\.value) == ["200 OK", "Synced", "3", "true", #"{"name":"fraud"}"#, "–"])
            let received = try #require(api.requests.first)
            #expect(received.authorization == "Bearer argo-secret-token-123")
            #expect(received.contentType == "application/json")
            #expect(received.body == #"{"revision": "v12", "prune": false}"#)
            #expect(received.idempotencyKey == "exec-7", "the execution id lets the API drop a retried request")
        }
    }

    @Test func aStatusOutsideTheSuccessConditionFailsAndTheBodyIsShownWithoutSecrets() async throws {
        let api = InternalAPI()
        try await LocalServer.run(api.router()) { port in
            let outcome = try await Self.backend(port: port).execute(
                action("argo", "request", ["method": "POST", "path": "/api/v1/applications/busy/sync", "success": "200,202"]),
                context: ProgressMessages().context())
            #expect(outcome.status == .failed)
            #expect(outcome.headline.contains("409 Conflict"))
            #expect(outcome.log?.contains("another operation is in progress") == true)
            #expect(outcome.log?.contains("argo-secret-token-123") == false, "credentials echoed by a server are not shown")
            let accepted = try await Self.backend(port: port).execute(
                action("argo", "request", ["method": "POST", "path": "/api/v1/applications/busy/sync", "success": "2xx,409"]),
                context: ProgressMessages().context())
            #expect(accepted.status == .succeeded, "a team may count 409 as fine")
        }
    }

    @Test(arguments: [
        "//evil.example/steal", "http://evil.example/x", "relative/path", "@evil.example/x", "/api/v1/../../admin", "/api/%2e%2e/admin",
    ])
    func aPathCannotLeaveTheBaseURL(path: String) async throws {
        let api = InternalAPI()
        try await LocalServer.run(api.router()) { port in
            await #expect(throws: BackendError.self) {
                _ = try await Self.backend(port: port).execute(action("argo", "request", ["path": path]), context: ProgressMessages().context())
            }
            #expect(api.requests.isEmpty)
        }
    }

    @Test func badInputIsRefusedBeforeAnythingIsSentAndSlowServersTimeOut() async throws {
        let api = InternalAPI()
        try await LocalServer.run(api.router()) { port in
            let backend = Self.backend(port: port, timeout: .milliseconds(500))
            await #expect(throws: BackendError("the request body is not valid JSON after filling in the arguments")) {
                _ = try await backend.execute(
                    action("argo", "request", ["method": "POST", "path": "/api/v1/applications/x/sync", "body": "{oops"]),
                    context: ProgressMessages().context())
            }
            await #expect(throws: BackendError.self) {
                _ = try await backend.execute(
                    action("argo", "request", ["path": "/x", "success": "twohundred"]), context: ProgressMessages().context())
            }
            #expect(api.requests.isEmpty)
            let slow = await #expect(throws: BackendError.self) {
                try await backend.execute(
                    action("argo", "request", ["method": "POST", "path": "/api/v1/applications/slow/sync"]), context: ProgressMessages().context())
            }
            #expect(slow?.unavailable == true, "a backend that does not answer counts toward its circuit")
            #expect(slow?.message.contains("no answer within") == true)
        }
    }

    @Test func aServerThatStallsMidBodyIsGivenUpOnAtTheDeadline() async throws {
        let api = InternalAPI()
        try await LocalServer.run(api.router()) { port in
            let backend = Self.backend(port: port, timeout: .milliseconds(500))
            let stalled = await #expect(throws: BackendError.self) {
                try await backend.execute(
                    action("argo", "request", ["method": "POST", "path": "/api/v1/applications/stall/sync"]), context: ProgressMessages().context())
            }
            #expect(stalled?.message == "POST /api/v1/applications/stall/sync got no answer within 500 ms.")
        }
    }

    @Test func aRedirectIsTheAnswerAndIsNotFollowedToAnotherHost() async throws {
        let api = InternalAPI()
        let elsewhere = InternalAPI()
        try await LocalServer.run(elsewhere.router()) { otherPort in
            try await LocalServer.run(api.router()) { port in
                let outcome = try await Self.backend(port: port).execute(
                    action("argo", "request", ["method": "POST", "path": "/api/v1/applications/moved-to-\(otherPort)/sync", "body": "{}"]),
                    context: ProgressMessages().context())
                #expect(outcome.status == .failed)
                #expect(outcome.headline.contains("307"))
                #expect(elsewhere.requests.isEmpty, "neither the credentials nor the body went to the other host")
            }
        }
    }

    @Test func successConditions() {
        #expect(SuccessCondition("2xx")?.accepts(204) == true)
        #expect(SuccessCondition("2xx")?.accepts(301) == false)
        #expect(SuccessCondition("200, 202")?.accepts(202) == true)
        #expect(SuccessCondition("200-299,409")?.accepts(409) == true)
        #expect(SuccessCondition("ok") == nil)
        #expect(SuccessCondition("") == nil)
    }
}
