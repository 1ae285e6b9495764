import Foundation
import Testing

@testable import LLM

@Suite("Server-sent events")
struct ServerSentEventTests {
    @Test func eventsEndAtBlankLinesWhateverTheLineEnding() {
        var parser = ServerSentEventParser()
        parser.consume(Array("data: one\n\ndata: two\r\n\r\ndata: three\r\r".utf8))
        #expect(parser.take() == ["one", "two", "three"])
    }

    @Test func commentsAndOtherFieldsAreSkippedAndDataLinesJoin() {
        var parser = ServerSentEventParser()
        parser.consume(Array(": keep-alive\nevent: delta\nid: 7\ndata: first\ndata:second\nretry: 10\n\n".utf8))
        #expect(parser.take() == ["first\nsecond"])
    }

    @Test func anEventSplitAcrossChunksIsWhole() {
        var parser = ServerSentEventParser()
        let text = Array(#"data: {"choices":[{"delta":{"content":"naïve"}}]}"#.utf8) + Array("\n\n".utf8)
        for byte in text.dropLast() {
            parser.consume([byte])
            #expect(parser.take().isEmpty)
        }
        parser.consume([text.last!])
        #expect(parser.take() == [#"{"choices":[{"delta":{"content":"naïve"}}]}"#])
    }

    @Test func aCarriageReturnThenLineFeedInLaterChunksIsOneLineEnd() {
        var parser = ServerSentEventParser()
        parser.consume(Array("data: a\r".utf8))
        parser.consume(Array("\ndata: b\n\n".utf8))
        #expect(parser.take() == ["a\nb"], "CR LF split across chunks ends one line, not two")
    }
}
