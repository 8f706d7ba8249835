import ByokyServerStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reading requests and writing answers in the vault's shapes.
enum VaultAnswer {
    /// Sorted keys: the same answer is the same bytes (a wrong password and an unknown name too).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Runs `body`; answers its value as JSON, or its error as `{"error": {"code", "message"}}`.
    static func json(
        status: HTTPResponse.Status = .ok,
        _ body: () async throws -> some Encodable
    ) async -> Response {
        do {
            let value = try await body()
            return response(status, (try? encoder.encode(value)) ?? Data())
        } catch let error as VaultError {
            return self.error(error)
        } catch is DatabaseUnavailable {
            return self.error(.unavailable)
        } catch {
            return self.error(
                VaultError(status: .internalServerError, code: "INTERNAL_ERROR", message: "Internal error")
            )
        }
    }

    static func error(_ error: VaultError) -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
                let feedback: [String]?
            }
            let error: Detail
        }
        let body = Body(error: .init(code: error.code, message: error.message, feedback: error.feedback))
        var answer = response(error.status, (try? encoder.encode(body)) ?? Data())
        if let seconds = error.retryAfter { answer.headers[.retryAfter] = String(seconds) }
        return answer
    }

    static func response(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func decode<Body: Decodable>(_ request: Request, limit: Int) async throws -> Body {
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: limit)
        } catch {
            throw VaultError(
                status: .contentTooLarge,
                code: "PAYLOAD_TOO_LARGE",
                message: "The body is over \(limit) bytes"
            )
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw VaultError.invalid("The body is not the JSON this endpoint takes")
        }
    }

    /// The `Authorization: Bearer` token, or an empty string.
    static func bearer(_ request: Request) -> String {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") else { return "" }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}
