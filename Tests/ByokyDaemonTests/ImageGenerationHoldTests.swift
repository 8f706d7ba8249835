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
