import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Small helpers for JSON request and response bodies.
enum JSONBody {
    /// - Parameter keys: how property names become keys (`.convertToSnakeCase` for `last_success`).
    static func response<T: Encodable>(
        _ value: T, status: HTTPResponse.Status = .ok, keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys
    ) throws -> Response {
        let data = try encode(value, keys: keys)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The JSON the bot answers with: sorted keys, ISO 8601 dates, on one line.
    static func encode<T: Encodable>(_ value: T, keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = keys
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    /// Reads the body within `limits` (413 when too large, 408 when too slow) and decodes it (415 when
    /// it is not sent as `application/json`, 400 with the reason when malformed).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limits: RequestLimits) async throws -> T {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else { throw HTTPError(.unsupportedMediaType, message: "send the body as application/json") }
        // `BoundedBodyMiddleware` has read the body within the limits already; this only takes it.
        let buffer = try await request.body.collect(upTo: limits.maxBodyBytes)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "malformed JSON body: \(Self.describe(error))")
        } catch {
            throw HTTPError(.badRequest, message: "malformed JSON body")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing `\(key.stringValue)`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at `\(context.codingPath.map(\.stringValue).joined(separator: "."))`"
        case .dataCorrupted: return "not valid JSON"
        @unknown default: return "not valid JSON"
        }
    }
}
