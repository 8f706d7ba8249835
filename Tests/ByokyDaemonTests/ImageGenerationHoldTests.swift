import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

/// A request for images to be drawn holds what its images may cost, under an app's cap: each
/// image by the size it asks for, and an edit's uploaded images by their sizes. Before, every
/// such request held 4,096 tokens an image, below what one high-quality image costs (7,024 at
/// 1024×1024 for gpt-image-2), so a cap could be overspent by a request for many large images;
/// and an edit's upload held a token a byte, so no capped app could edit a photo.
@Suite(.timeLimit(.minutes(2)))
struct ImageGenerationHoldTests {
    static let app = "Bridge test"
    static let generations = "/openai/v1/images/generations"

    @Test func manyLargeImagesAreHeldAtWhatTheyMayCost() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 50_000, period: .lifetime)
            let auth = bridge.authHeader(for: .openai)
            let many = #"{"model":"gpt-image-2","prompt":"A lighthouse at dusk","n":4,"size":"1536x1024"}"#
            let refused = try await bridge.send(.POST, Self.generations, body: many, headers: [auth])
            #expect(refused.status == 429, "\(refused.text)")
            #expect(refused.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED")
            #expect(bridge.upstreamRequests.withLock { $0.isEmpty })
            // One image fits, and is charged what the provider counted.
            let one = #"{"model":"gpt-image-2","prompt":"A lighthouse at dusk","size":"1024x1024","quality":"high"}"#
            let served = try await bridge.send(.POST, Self.generations, body: one, headers: [auth])
            #expect(served.status == 200, "\(served.text)")
            let usage = try #require(served.json["usage"] as? [String: Any])
            let counted = try #require(usage["total_tokens"] as? Int)
            #expect(counted > MockProvider.drawnImageTokens)
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == counted)
        }
    }

    /// The official SDK draws and edits through the bridge under a cap: a 4 MB photo's edit is
    /// held by its size (about 29,000 tokens, and 56,192 for an image of the size `auto` may
    /// draw; before, four million), and both answers are charged what the provider counted.
    @Test(.enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
    func theOfficialSDKDrawsAndEditsUnderACap() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 100_000, period: .lifetime)
            let result = try await SDKClient.images(
                baseURL: "http://127.0.0.1:\(bridge.port)/openai/v1",
                apiKey: bridge.sessionKey,
                model: "gpt-image-1",
                width: 3024,
                height: 4032,
                size: 4_000_000
            )
            #expect(result["error_status"] == nil, "\(result)")
            #expect(result["generated"] as? Int == 2 && result["edited"] as? Int == 1, "\(result)")
            let generated = try #require(result["generated_total"] as? Int)
            let edited = try #require(result["edited_total"] as? Int)
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == generated + edited)
        }
    }

    /// DALL·E bills by the image: a variation of a photo (DALL·E 2, form data) holds its text and
    /// an answer's worth an image, not its upload's bytes (before, a token a byte: a megabyte's
    /// photo could not be varied under a cap, and was charged a million tokens if it was).
    @Test func aDallEVariationIsNotHeldByItsUploadsBytes() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 50_000, period: .lifetime)
            let photo = try #require(Data(base64Encoded: TestImage.png(width: 1024, height: 1024, size: 1_000_000)))
            var body = Array("--v\r\ncontent-disposition: form-data; name=\"n\"\r\n\r\n2\r\n".utf8)
            body += Array("--v\r\ncontent-disposition: form-data; name=\"image\"; filename=\"me.png\"\r\n\r\n".utf8)
            body += photo + Array("\r\n--v--\r\n".utf8)
            let served = try await bridge.send(
                .POST,
                "/openai/v1/images/variations",
                bytes: body,
                headers: [bridge.authHeader(for: .openai), ("content-type", "multipart/form-data; boundary=v")]
            )
            #expect(served.status == 200, "\(served.text)")
            // No usage in the answer: charged its hold, the field's byte and two answers' worth.
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(used == 1 + 2 * 4_096, "\(used)")
        }
    }

    @Test func anEditsPhotoIsHeldBySizeNotBytes() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: Self.app, tokens: 50_000, period: .lifetime)
            let photo = try #require(Data(base64Encoded: TestImage.png(width: 1024, height: 1024, size: 2_000_000)))
            var body: [UInt8] = []
            for (name, value) in [("model", "gpt-image-1"), ("prompt", "Add a red hat"), ("size", "1024x1024")] {
                body += Array("--edit\r\ncontent-disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            }
            body += Array("--edit\r\ncontent-disposition: form-data; name=\"image\"; filename=\"me.png\"\r\n".utf8)
            body += Array("content-type: image/png\r\n\r\n".utf8) + photo + Array("\r\n--edit--\r\n".utf8)
            let served = try await bridge.send(
                .POST,
                "/openai/v1/images/edits",
                bytes: body,
                headers: [bridge.authHeader(for: .openai), ("content-type", "multipart/form-data; boundary=edit")]
            )
            #expect(served.status == 200, "\(served.text)")
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(used > MockProvider.inlineMediaTokens + MockProvider.drawnImageTokens && used < 3_000, "\(used)")
        }
    }
}
