import ChatOpsCore
import ChatOpsStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// `/healthz` (the process is up), `/readyz` (the store answers) and `/metrics` (Prometheus text format).
struct OperationalRoutes: Sendable {
    let store: any Store
    let registry: PrometheusCollectorRegistry?

    func register(on router: Router<BotRequestContext>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            do {
                // A database that went away may not refuse at once: not answering soon is not ready either.
                _ = try await withAbandoningDeadline(.seconds(2)) { [store] in try await store.queueDepth() }
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ready\n")))
            } catch {
                return Response(status: .serviceUnavailable, body: ResponseBody(byteBuffer: ByteBuffer(string: "store unavailable\n")))
            }
        }
        router.get("metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            registry?.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
