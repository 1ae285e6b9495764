import ChatPlatforms
import Testing

@Suite("Transcript change signal")
struct ChangeSignalTests {
    @Test func aBusyListenerIsWokenOnceForAllTheIDsChangedMeanwhileAndForgottenWhenItEnds() async {
        let signal = ChangeSignal()
        let first = signal.listen()
        let second = signal.listen()
        #expect(signal.listenerCount == 2)
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
        #expect(await wakes.next() == nil)
        second.finish()
        #expect(signal.listenerCount == 0)
    }
}
