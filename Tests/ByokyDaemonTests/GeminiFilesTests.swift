import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import Testing

/// Gemini's Files API through the bridge with the official `google-genai` SDK. Its upload is
/// resumable: a start carrying the protocol's `X-Goog-Upload-*` headers (which the bridge passes
/// on, with the key), answered with a one-time upload URL on the provider's host, to which the
/// SDK then sends the bytes itself, with no key (the URL is the grant). The bridge dropped those
/// headers as unknown, so the provider never started an upload and the SDK failed for want of
/// the upload URL.
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct GeminiFilesTests {
    @Test(.timeLimit(.minutes(3)))
    func theSDKUploadsReadsListsAndDeletesAFileThroughTheBridge() async throws {
        try await BridgeFixture.with(grant: [.gemini]) { bridge in
            let content = "Notes for the model: " + String(repeating: "word ", count: 300)
            let result = try await SDKClient.geminiFiles(
                baseURL: SDKClient.baseURL(root: "http://127.0.0.1:\(bridge.port)/gemini", family: .gemini),
                apiKey: bridge.sessionKey,
                content: content
            )
            #expect(result["error_status"] == nil, "\(result)")
            let name = try #require(result["name"] as? String, "\(result)")
            #expect(result["size_bytes"] as? Int == content.utf8.count, "\(result)")
            #expect(result["fetched_name"] as? String == name && result["listed"] as? [String] == [name])

            // The start went through the wallet with the owner's key; the bytes went to the
            // upload URL without any key.
            let upstream = bridge.upstreamRequests.withLock { $0 }
            let uploads = upstream.filter { $0.path.hasPrefix("/upload/") }
            #expect(uploads.map(\.carriedKey) == [true, false], "\(uploads)")
            let log = try await bridge.wallet.store.requestLog()
            #expect(
                Set(log.map { "\($0.method) \($0.status)" }) == ["POST 200", "GET 200", "DELETE 200"],
                "\(log.map { "\($0.method) \($0.path) \($0.status)" })"
            )
            #expect(log.contains { $0.path.hasPrefix("/upload/") && $0.path.hasSuffix("/files") })
        }
    }

    /// An upload spends no tokens: an app under a small cap uploads a file far larger than its cap
    /// would hold as a prompt, and the cap stays whole.
    @Test(.timeLimit(.minutes(3)))
    func anUploadLeavesTheCapWhole() async throws {
        try await BridgeFixture.with(grant: [.gemini]) { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 1_000, period: .lifetime)
            let content = String(repeating: "A long document line. ", count: 3_000)
            let result = try await SDKClient.geminiFiles(
                baseURL: SDKClient.baseURL(root: "http://127.0.0.1:\(bridge.port)/gemini", family: .gemini),
                apiKey: bridge.sessionKey,
                content: content
            )
            #expect(result["error_status"] == nil, "\(result)")
            #expect(result["size_bytes"] as? Int == content.utf8.count, "\(result)")
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == 0)
        }
    }

    /// A received gift serves no uploads (only chats, embeddings, token counts and model lists):
    /// the start is refused in Gemini's format and reaches no provider, so a gift's receiver
    /// cannot store files with the giver's key.
    @Test(.timeLimit(.minutes(3)))
    func aGiftRefusesAnUploadClearly() async throws {
        try await GiftFixture.with(provider: .gemini) { fixture in
            let response = await fixture.receiverCall(
                .gemini,
                "/upload/v1beta/files",
                body: #"{"file":{"display_name":"gifted"}}"#,
                headers: [
                    ("X-Goog-Upload-Protocol", "resumable"), ("X-Goog-Upload-Command", "start"),
                    ("X-Goog-Upload-Header-Content-Length", "26"), ("X-Goog-Upload-Header-Content-Type", "text/plain"),
                ]
            )
            let collected = try await response.body.collect(upTo: 1_048_576)
            let error = try JSONNode.parse(Array(collected.readableBytesView))["error"]
            #expect(
                response.status == 403 && error?["status"]?.stringValue == "PERMISSION_DENIED",
                "\(String(buffer: collected))"
            )
            #expect(fixture.upstreamRequests.withLock { $0.isEmpty })
            #expect(try await fixture.giverUsed() == 0)
        }
    }
}
