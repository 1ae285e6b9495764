import ChatOpsStore
import ChatPlatforms
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus

extension BotRuntime {
    /// The HTTP server with its background services (workers, scheduler), ready for `runService()`,
    /// which handles SIGTERM and SIGINT gracefully.
    /// - Parameters:
    ///   - prometheus: the registry `/metrics` exports (the one swift-metrics was bootstrapped with).
    ///   - port: overrides the configured port (0 picks a free one).
    public func buildApplication(prometheus: PrometheusCollectorRegistry?, port: Int? = nil) -> some ApplicationProtocol {
        let configuration = loaded.configuration
        let router = Router(context: BotRequestContext.self)
        let server = configuration.server
        let limits = RequestLimits(maxBodyBytes: server.maxBodyBytes, readTimeout: .milliseconds(server.readTimeoutMilliseconds))
        let rejections = RejectedRequests(store: store, logger: logger)
        router.add(middleware: BoundedBodyMiddleware(limits: limits))
        OperationalRoutes(store: store, registry: prometheus).register(on: router)
        if configuration.webchat.enabled {
            let chat = WebChatRoutes(
                store: store, transcript: transcript, intake: intake, access: WebChatAccess(configuration.webchat, botNames: configuration.bot.names),
                limits: limits,
                rejections: rejections, logger: logger)
            chat.register(on: router)
            let directory = ConsoleDirectory(
                registry: loaded.registry, roles: configuration.roles, tokens: !configuration.webchat.users.isEmpty,
                reserved: Set(configuration.bot.names.map { $0.lowercased() } + [WebChatPlatform.botAuthor]))
            let operations = OperationsReport(
                engine: engine, schedules: configuration.schedules, models: Array(configuration.llm.models.keys))
            ConsoleRoutes(directory: directory, chat: chat, operations: SharedSnapshot(report: operations), engine: engine).register(on: router)
        }
        WebhookRoutes(
            endpoints: engine.platforms.values.flatMap(\.webhooks), intake: intake, limits: limits,
            rejections: rejections, logger: logger
        )
        .register(on: router)
        // A connection that sends nothing (or never finishes its request head) is closed after the idle time.
        let http = HTTP1Channel.Configuration(
            idleTimeout: .milliseconds(Int64(server.idleTimeoutMilliseconds)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 16 << 10, maxHeaderListSize: 32 << 10, maxHeaderFieldCount: 100))
        return Application(
            router: router, server: .http1(configuration: http),
            configuration: .init(
                address: .hostname(server.host, port: port ?? server.port), serverName: "chatops",
                availableConnectionsDelegate: MaximumAvailableConnections(server.maxConnections)),
            services: [workerService(), schedulerService()] + engine.platforms.values.flatMap(\.connections),
            logger: logger)
    }
}
