import ChatOpsStore
import Foundation
import Hummingbird
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
        let router = Router(context: BasicRequestContext.self)
        OperationalRoutes(store: store, registry: prometheus).register(on: router)
        if configuration.webchat.enabled {
            WebChatRoutes(
                store: store, access: WebChatAccess(configuration.webchat, botNames: configuration.bot.names),
                maxBodyBytes: configuration.server.maxBodyBytes, logger: logger)
                .register(on: router)
        }
        if configuration.slack.isEnabled, let secret = configuration.slack.signingSecret {
            SlackRoutes(
                store: store, settings: configuration.slack, signingSecret: secret, maxBodyBytes: configuration.server.maxBodyBytes,
                parser: engine.parser, roles: configuration.roles, logger: logger)
                .register(on: router)
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.server.host, port: port ?? configuration.server.port), serverName: "chatops"),
            services: [workerService(), schedulerService()],
            logger: logger)
    }
}
