import ChatPlatforms
import Testing

@Suite("Transcript change signal")
struct ChangeSignalTests {
    @Test func aBusyListenerIsWokenOnceForAllTheIDsChangedMeanwhileAndForgottenWhenItEnds() async throws {
        let signal = ChangeSignal()
        let first = try #require(signal.listen(limit: 2))
        let second = try #require(signal.listen(limit: 2))
        #expect(signal.listenerCount == 2)
        #expect(signal.listen(limit: 2) == nil, "no third beyond the limit")
        signal.fire(3)
        signal.fire(5)
        signal.fire(3)
        var wakes = first.wakes.makeAsyncIterator()
        #expect(await wakes.next() != nil)
        #expect(first.takeChanged() == [3, 5])
        #expect(first.takeChanged().isEmpty, "each id is taken once")
        #expect(second.takeChanged() == [3, 5], "every listener hears every change")
        first.finish()
        #expect(signal.listenerCount == 1, "an ended listener is forgotten")
        #expect(signal.listen(limit: 2) != nil, "its place is free again")
        #expect(await wakes.next() == nil)
        second.finish()
        #expect(signal.listenerCount == 1, "the listener left in place")
    }
}
