import ByokyCore
import Crypto
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Gemini's Files API as Google serves it, in memory: a resumable upload (a `start` with the
/// API key and the `X-Goog-Upload-*` headers, answered with an upload URL on the server's own
/// host; then the bytes sent to that URL with `upload, finalize`, no key needed, answered with the
/// file), and the files read back by name, listed and deleted.
final class MockGeminiFiles: Sendable {
    /// An upload started and not yet finalized.
    private struct Upload {
        let displayName: String?
        let mimeType: String
        let declaredSize: Int
        var received: [UInt8] = []
    }

    private struct State {
        var uploads: [String: Upload] = [:]
        /// Files by name (`files/…`), as the API describes them.
        var files: [String: JSONValue] = [:]
        var order: [String] = []
        var made = 0
    }

    private let state = Mutex(State())

    /// Starts an upload; its id.
    func start(displayName: String?, mimeType: String, declaredSize: Int) -> String {
        state.withLock { state in
            state.made += 1
            let id = "mock-upload-\(state.made)"
            state.uploads[id] = Upload(displayName: displayName, mimeType: mimeType, declaredSize: declaredSize)
            return id
        }
    }

    /// What sending `bytes` at `offset` to upload `id` did.
    enum Step {
        case unknownUpload
        case wrongOffset(expected: Int)
        case wrongSize(received: Int, declared: Int)
        case active
        case final(JSONValue)
    }

    func send(_ bytes: [UInt8], to id: String, offset: Int, finalize: Bool) -> Step {
        state.withLock { state in
            guard var upload = state.uploads[id] else { return .unknownUpload }
            guard offset == upload.received.count else { return .wrongOffset(expected: upload.received.count) }
            upload.received += bytes
            guard finalize else {
                state.uploads[id] = upload
                return .active
            }
            state.uploads[id] = nil
            guard upload.received.count == upload.declaredSize else {
                return .wrongSize(received: upload.received.count, declared: upload.declaredSize)
            }
            let name = "files/mock-file-\(state.made)"
            var file: [String: JSONValue] = [
                "name": .string(name),
                "mimeType": .string(upload.mimeType),
                // An int64 in proto3 JSON: a string.
                "sizeBytes": .string(String(upload.received.count)),
                "createTime": .string("2026-12-07T12:00:00.000000Z"),
                "updateTime": .string("2026-12-07T12:00:00.000000Z"),
                "expirationTime": .string("2026-12-09T12:00:00.000000Z"),
                "sha256Hash": .string(Base64.encode(Array(SHA256.hash(data: upload.received)))),
                "uri": .string("https://generativelanguage.googleapis.com/v1beta/\(name)"),
                "state": .string("ACTIVE"),
                "source": .string("UPLOADED"),
            ]
            if let displayName = upload.displayName { file["displayName"] = .string(displayName) }
            state.files[name] = .object(file)
            state.order.append(name)
            return .final(.object(file))
        }
    }

    func file(named name: String) -> JSONValue? {
        state.withLock { $0.files[name] }
    }

    func allFiles() -> [JSONValue] {
        state.withLock { state in state.order.compactMap { state.files[$0] } }
    }

    /// Deletes a file; whether it was there.
    func delete(named name: String) -> Bool {
        state.withLock { state in
            guard state.files.removeValue(forKey: name) != nil else { return false }
            state.order.removeAll { $0 == name }
            return true
        }
    }
}

extension MockHandler {
    /// The granularity Google announces for an upload's chunks (8 MiB).
    static let uploadChunkGranularity = 8 * 1024 * 1024

    /// `POST /upload/v1beta/files` (or `/upload/v1/files`): with `upload_id` in the query, a chunk of an upload (no key
    /// needed, as the upload URL is the grant); without, the start of one, which needs the key and
    /// the resumable protocol's headers (the mock serves no other upload protocol).
    func respondToGeminiUpload(_ request: Request, files: MockGeminiFiles) async throws -> Response {
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        let bytes = Array(body.readableBytesView)
        let command = header(request, "x-goog-upload-command")?.lowercased() ?? ""
        if let id = request.uri.queryParameters.get("upload_id") {
            return continueGeminiUpload(id: String(id), bytes: bytes, command: command, request: request, files: files)
        }
        if let failure = checkAuth(request, family: .gemini) { return failure }
        guard header(request, "x-goog-upload-protocol")?.lowercased() == "resumable", command == "start" else {
            return error(
                .invalidRequest,
                "The mock serves resumable uploads only: send X-Goog-Upload-Protocol: resumable and "
                    + "X-Goog-Upload-Command: start",
                family: .gemini
            )
        }
        guard let size = header(request, "x-goog-upload-header-content-length").flatMap({ Int($0) }), size >= 0 else {
            return error(.invalidRequest, "X-Goog-Upload-Header-Content-Length is required", family: .gemini)
        }
        // Like Google's servers, read the metadata's names in snake_case as well as camelCase.
        let described = JSONCoding.parse(Self.geminiNormalized(bytes))?.objectValue?["file"]?.objectValue
        let mimeType =
            header(request, "x-goog-upload-header-content-type") ?? described?["mimeType"]?.stringValue
            ?? "application/octet-stream"
        let id = files.start(
            displayName: described?["displayName"]?.stringValue,
            mimeType: mimeType,
            declaredSize: size
        )
        let host = request.head.authority ?? "127.0.0.1"
        let url = "http://\(host)\(request.uri.path)?upload_id=\(id)&upload_protocol=resumable"
        return Response(
            status: .ok,
            headers: [
                .init("x-goog-upload-status")!: "active",
                .init("x-goog-upload-url")!: url,
                .init("x-goog-upload-control-url")!: url,
                .init("x-goog-upload-chunk-granularity")!: String(Self.uploadChunkGranularity),
            ],
            body: .init(byteBuffer: ByteBuffer())
        )
    }

    private func continueGeminiUpload(
        id: String,
        bytes: [UInt8],
        command: String,
        request: Request,
        files: MockGeminiFiles
    ) -> Response {
        let commands = Set(command.split(separator: ",").map { String($0).trimmingASCIIWhitespace() })
        guard commands.contains("upload"), let offset = header(request, "x-goog-upload-offset").flatMap({ Int($0) })
        else {
            return error(.invalidRequest, "An upload chunk needs X-Goog-Upload-Command and -Offset", family: .gemini)
        }
        let status = HTTPField.Name("x-goog-upload-status")!
        switch files.send(bytes, to: id, offset: offset, finalize: commands.contains("finalize")) {
        case .unknownUpload:
            return error(.notFound, "No upload \(id)", family: .gemini)
        case .wrongOffset(let expected):
            return error(.invalidRequest, "The upload is at offset \(expected), not \(offset)", family: .gemini)
        case .wrongSize(let received, let declared):
            return error(.invalidRequest, "Received \(received) bytes of the \(declared) declared", family: .gemini)
        case .active:
            return Response(status: .ok, headers: [status: "active"], body: .init(byteBuffer: ByteBuffer()))
        case .final(let file):
            var response = json(MockRenderer.bytes(.object(["file": file])))
            response.headers[status] = "final"
            return response
        }
    }

    /// `GET …/files/{name}`, `GET …/files` and `DELETE …/files/{name}` (under `/v1beta` and `/v1`).
    /// Under `/v1` only a request with Gemini's key header is Gemini's: OpenAI's files share the
    /// path (the mock serves OpenAI's upload alone).
    func respondToGeminiFiles(_ request: Request, name: String?, files: MockGeminiFiles) -> Response {
        guard request.uri.path.hasPrefix("/v1beta/") || header(request, "x-goog-api-key") != nil else {
            return error(.notFound, "Unknown route \(request.method) \(request.uri.path)", family: .openai)
        }
        if let failure = checkAuth(request, family: .gemini) { return failure }
        guard let name else {
            return json(MockRenderer.bytes(.object(["files": .array(files.allFiles())])))
        }
        let fullName = "files/" + name
        if request.method == .delete {
            guard files.delete(named: fullName) else {
                return error(status: 403, "You do not have permission to access the File \(name)", family: .gemini)
            }
            return json(Array("{}".utf8))
        }
        guard let file = files.file(named: fullName) else {
            return error(status: 403, "You do not have permission to access the File \(name)", family: .gemini)
        }
        return json(MockRenderer.bytes(file))
    }

    private func header(_ request: Request, _ name: String) -> String? {
        request.headers[HTTPField.Name(name)!]
    }
}
