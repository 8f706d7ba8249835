import AsyncHTTPClient
import ByokyMockProvider
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The mock's OpenAI file upload (multipart, as OpenAI's `POST /v1/files` takes it) and its paced
/// streams (`mock-paced-<ms>`), which browser tests use to see chunks arrive one by one.
@Suite(.timeLimit(.minutes(3)))
struct MockUploadAndPacingTests {
    static func upload(_ port: Int, body: [UInt8], contentType: String) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/files")
        request.method = .POST
        request.headers.replaceOrAdd(name: "content-type", value: contentType)
        request.headers.add(name: "authorization", value: "Bearer sk-test")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(collected.readableBytesView)) as? [String: Any]) ?? [:]
        return (Int(response.status.code), json)
    }

    @Test func uploadsAnswerOpenAIsFileObject() async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-test")) { port in
            let file = "{\"a\":1}\r\n--not-the-boundary\r\n"
            let body =
                "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"train.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n\(file)\r\n--XyZ--\r\n"
            let (status, json) = try await Self.upload(
                port,
                body: Array(body.utf8),
                contentType: "multipart/form-data; boundary=XyZ"
            )
            #expect(status == 200)
            #expect(json["object"] as? String == "file")
            #expect(json["filename"] as? String == "train.jsonl")
            #expect(json["purpose"] as? String == "fine-tune")
            #expect(json["bytes"] as? Int == file.utf8.count)

            let (notMultipart, error) = try await Self.upload(
                port,
                body: Array("{}".utf8),
                contentType: "application/json"
            )
            #expect(notMultipart == 400)
            #expect(
                (error["error"] as? [String: Any])?["message"] as? String == "The upload is not multipart/form-data"
            )
            let noFile = "--B\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nx\r\n--B--\r\n"
            let (missing, _) = try await Self.upload(
                port,
                body: Array(noFile.utf8),
                contentType: "multipart/form-data; boundary=\"B\""
            )
            #expect(missing == 400)
        }
    }

    @Test func pacedModelsSpaceTheirEvents() async throws {
        try await MockProvider.withRunningServer { port in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(
                ByteBuffer(
                    string:
                        #"{"model":"mock-paced-30","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
                )
            )
            let start = ContinuousClock.now
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var text = ""
            for try await part in response.body { text += String(buffer: part) }
            let elapsed = ContinuousClock.now - start
            // Each event is written on its own after a 30 ms pause: the stream lasts at least that
            // long per event (unpaced, it takes a millisecond or two).
            let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.count
            #expect(events >= 5)
            #expect(elapsed >= .milliseconds(30 * (events - 1)), "\(events) events in \(elapsed)")
        }
    }
}
