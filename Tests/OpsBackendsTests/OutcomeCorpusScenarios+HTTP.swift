import ChatOpsCore
import Foundation
import HTTPTypes
import Hummingbird
import LocalServer
import NIOCore
import OpsBackends
import Testing

extension OutcomeCorpusRecorder {
    /// The HTTP action backend configured as `HTTPActionTests` does (an Argo CD with a bearer token),
    /// against a local server answering syncs the way Argo CD might; the command is
    /// `commands/examples/more/sync.yaml`.
    static func httpEntries() async throws -> [CorpusEntry] {
        try await LocalServer.run(argoRouter()) { port in
            func sync(_ app: String) -> Action {
                action(
                    "argo", "request",
                    [
                        "method": "POST", "path": "/api/v1/applications/\(app)/sync", "body": #"{"prune": false, "dryRun": false}"#, "success": "2xx",
                        "fields": "status.sync.status, status.sync.revision, status.health.status",
                    ])
            }
            let scenarios: [CorpusScenario] = [
                .success(
                    "http/sync", "sync fraud", sync("fraud-staging"),
                    entities: ["fraud-staging", "fraud", "staging", "4f2c9e1"],
                    forbidden: [#"\b(out ?of ?sync|degraded|progressing)\b"#, #"\bprod(uction)?\b"#],
                    note: "The server answered 200 OK to the sync of fraud-staging: Synced at revision 4f2c9e1, health Healthy."),
                .success(
                    "http/sync-progressing", "sync churn --env prod", sync("churn-prod"),
                    entities: ["churn-prod", "churn", "prod", "a91b03d"],
                    forbidden: [#"(?<!not )(?<!yet )\bhealthy\b"#, #"\bdegraded\b"#, #"\bstaging\b"#],
                    note: "The server answered 200 OK for churn-prod: Synced at revision a91b03d, but health is still Progressing."),
                .success(
                    "http/sync-degraded", "sync fraud --env prod", sync("fraud-prod"),
                    entities: ["fraud-prod", "fraud", "prod", "OutOfSync", "77de0aa"],
                    misreadings: [],
                    forbidden: [#"(?<!not )(?<!yet )\bhealthy\b"#, #"(?<!not )(?<!never )\bsynced\b"#, #"(?<!not )\bin sync\b"#, #"\bstaging\b"#],
                    note: "The server accepted the sync request (200 OK), but fraud-prod reports OutOfSync at 77de0aa and health Degraded."),
                .failure(
                    "http/sync-server-error", "sync ranker --env prod", sync("ranker-prod"),
                    entities: ["ranker-prod", "ranker", "prod", "500"],
                    forbidden: [
                        #"(?<!not )(?<!never )\bsynced\b"#, #"argo-secret-token"#, #"\b(conflict|in progress|permission denied|timed? ?out)\b"#,
                    ],
                    reasons: ["500 internal server error", "manifest generation error", "nil pointer"],
                    note:
                        "The sync of ranker-prod failed: The server answered 500 with a manifest generation error (helm template: nil pointer at .Values.image.tag)."
                ),
                .failure(
                    "http/sync-conflict", "sync recsys", sync("recsys-staging"),
                    entities: ["recsys-staging", "recsys", "staging", "409"],
                    forbidden: [#"(?<!not )(?<!never )\bsynced\b"#, #"\b(500|server error|not found|permission denied)\b"#],
                    reasons: ["409 conflict", "another operation is already in progress"],
                    note: "The sync of recsys-staging was refused with 409 Conflict: another operation is already in progress."),
                .failure(
                    "http/sync-not-found", "sync recsys --env prod", sync("recsys-prod"),
                    entities: ["recsys-prod", "recsys", "prod", "404"],
                    forbidden: [#"(?<!not )(?<!never )\bsynced\b"#, #"\b(conflict|in progress|server error|permission denied)\b"#],
                    reasons: ["404 not found", "not found"],
                    note: "The server answered 404: there is no application recsys-prod."),
                .failure(
                    "http/sync-forbidden", "sync embedder --env prod", sync("embedder-prod"),
                    entities: ["embedder-prod", "embedder", "prod", "403"],
                    forbidden: [#"(?<!not )(?<!never )\bsynced\b"#, #"\b(does not|doesn't) exist\b"#, #"\bnot found\b"#, #"\bserver error\b"#],
                    reasons: ["403 forbidden", "permission denied"],
                    note:
                        "The server refused the sync of embedder-prod with 403 Forbidden (permission denied); it does not say whether the app exists."
                ),
                .success(
                    "http/sync-login-page", "sync ranker", sync("ranker-staging"),
                    entities: ["ranker-staging", "ranker", "staging"],
                    misreadings: [],
                    forbidden: [
                        #"(?<!not )(?<!never )\bsynced\b"#, #"(?<!not )\bin sync\b"#, #"(?<!not )(?<!yet )\bhealthy\b"#, #"\brevision [0-9a-f]{7}\b"#,
                    ],
                    note: "The request answered 200 OK, but with a login page instead of JSON: no sync status, revision or health came back."),
                .failure(
                    "http/sync-no-answer", "sync churn", sync("churn-staging"),
                    entities: ["churn-staging", "churn", "staging"],
                    forbidden: [
                        #"(?<!not )(?<!never )\bsynced\b"#, #"\b(refused|rejected|denied)\b"#,
                        #"\bsync (was|has been) (started|triggered|accepted)\b"#, #"\b(started|triggered) the sync\b"#,
                        #"\b(answered|returned|responded)( with)? \d{3}\b"#,
                    ],
                    reasons: ["no answer within 500 ms"],
                    note: "The server gave no answer within 500 ms to the sync of churn-staging; whether the sync started is unknown.",
                    on: HTTPActionTests.backend(port: port, timeout: .milliseconds(500))),
            ]
            return try await Self.record("http", scenarios, on: HTTPActionTests.backend(port: port))
        }
    }

    /// Answers `POST /api/v1/applications/{app}/sync` per application as Argo CD might: synced,
    /// progressing, degraded, a 500 with a reason (echoing the credentials), 409, 404, 403, an HTML
    /// login page from a proxy, or no answer for three seconds.
    static func argoRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.on("/api/v1/applications/{app}/sync", method: .post) { _, context -> Response in
            let app = context.parameters.get("app") ?? ""
            func synced(_ sync: String, _ revision: String, _ health: String) -> Response {
                Self.argoAnswer(
                    .ok,
                    #"{"metadata": {"name": "\#(app)"}, "status": {"sync": {"status": "\#(sync)", "revision": "\#(revision)"}, "health": {"status": "\#(health)"}}}"#
                )
            }
            switch app {
            case "fraud-staging": return synced("Synced", "4f2c9e1", "Healthy")
            case "churn-prod": return synced("Synced", "a91b03d", "Progressing")
            case "fraud-prod": return synced("OutOfSync", "77de0aa", "Degraded")
            case "ranker-prod":
                let message =
                    #"rpc error: code = Unknown desc = Manifest generation error (cached): `helm template . --values values-prod.yaml` failed exit status 1: Error: template: ranker/templates/deployment.yaml:14:20: executing \"ranker/templates/deployment.yaml\" at <.Values.image.tag>: nil pointer evaluating interface {}.tag"#
                return Self.argoAnswer(
                    .internalServerError,
                    #"{"request": {"authorization": "Bearer argo-secret-token-123"}, "error": "\#(message)", "code": 2, "message": "\#(message)"}"#)
            case "recsys-staging":
                return Self.argoAnswer(
                    .conflict,
                    #"{"error": "another operation is already in progress", "code": 9, "message": "another operation is already in progress"}"#)
            case "embedder-prod":
                return Self.argoAnswer(.forbidden, #"{"error": "permission denied", "code": 7, "message": "permission denied"}"#)
            case "ranker-staging":
                return Response(
                    status: .ok, headers: [.contentType: "text/html"],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string:
                                "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action=\"/oauth2/start\">Sign in with SSO</form></body></html>"
                        )))
            case "churn-staging":
                try await Task.sleep(for: .seconds(3))
                return synced("Synced", "0c4d2be", "Healthy")
            default:
                return Self.argoAnswer(
                    .notFound,
                    #"{"error": "applications.argoproj.io \"\#(app)\" not found", "code": 5, "message": "applications.argoproj.io \"\#(app)\" not found"}"#
                )
            }
        }
        return router
    }

    static func argoAnswer(_ status: HTTPResponse.Status, _ json: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
