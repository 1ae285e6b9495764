import ChatOpsStore
import ChatPlatforms
import OpsBackends

// The store provides what adapters need; only the composition root ties them together.
extension SQLiteStore: TranscriptSink {}
extension SQLiteStore: SandboxStateStore {}
extension SQLiteStore: DeliveryLog {}
