import Testing
@testable import ChatOpsCore
@Test func placeholder() { #expect(DurationFormat.parse("1h") == 3600) }
