import Foundation
import NIOCore

/// Reads a `text/event-stream` body as the HTML standard's event-stream interpretation says
/// (html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation): lines end
/// in CRLF, LF or CR; lines starting with `:` are comments; `data:` fields (one optional space
/// after the colon) accumulate with newlines between them; a blank line dispatches the event.
/// Only `data` matters to chat completions, so `event`, `id` and `retry` are read past; an event the
/// stream ends without its blank line is never dispatched, as the standard says.
/// (EventSource from the package mirror parses the same way but does not build on Linux.)
struct ServerSentEventParser {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var sawCarriageReturn = false
    private var events: [String] = []

    /// Feeds bytes; complete events are returned by `take()`.
    mutating func consume<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n") where sawCarriageReturn:
                sawCarriageReturn = false
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                sawCarriageReturn = byte == UInt8(ascii: "\r")
                endLine()
            default:
                sawCarriageReturn = false
                line.append(byte)
            }
        }
    }

    /// The `data` of each event completed so far, in order.
    mutating func take() -> [String] {
        defer { events.removeAll() }
        return events
    }

    private mutating func endLine() {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            if !data.isEmpty { events.append(data.joined(separator: "\n")) }
            data.removeAll()
            return
        }
        if line.first == UInt8(ascii: ":") { return }
        let text = String(decoding: line, as: UTF8.self)
        let field = text.prefix { $0 != ":" }
        guard field == "data" else { return }
        var value = text.dropFirst(field.count + 1)
        if value.first == " " { value = value.dropFirst() }
        data.append(String(value))
    }
}

enum ServerSentEvents {
    /// A stream longer than this is cut off with an error: an answer is never buffered without bound.
    static let maxBytes = 4 << 20

    /// Calls `handle` with the `data` of each event, in order, until the body ends or `handle`
    /// returns false.
    static func forEachData<Body: AsyncSequence>(
        in body: Body, _ handle: (String) throws -> Bool
    ) async throws where Body.Element == ByteBuffer {
        var parser = ServerSentEventParser()
        var total = 0
        for try await buffer in body {
            total += buffer.readableBytes
            guard total <= maxBytes else { throw StreamTooLong(limit: maxBytes) }
            parser.consume(buffer.readableBytesView)
            for data in parser.take() where try !handle(data) { return }
        }
    }

    struct StreamTooLong: Error, CustomStringConvertible {
        var limit: Int
        var description: String { "the streamed answer is longer than \(limit) bytes" }
    }
}
