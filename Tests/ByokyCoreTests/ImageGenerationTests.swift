import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// What a request for images to be drawn may cost: each image by the size asked (the largest
/// when none is), its partial images, and an edit's uploaded images by their sizes.
struct ImageGenerationTests {
    static func drawing(_ json: String) throws -> ImageGeneration {
        guard case .object(let body) = try JSONNode.parse(Array(json.utf8)) else {
            throw ByokyError(.invalidRequest, "not an object")
        }
        return ImageGeneration(json: body)
    }

    @Test func eachImageIsHeldByItsSize() throws {
        func perImage(_ json: String) throws -> Int? { try Self.drawing(json).worstCaseOutputPerImage }
        // gpt-image-2's high-quality 1024×1024 price, for every 1024×1024 asked.
        #expect(try perImage(#"{"model":"gpt-image-2","prompt":"a cat","size":"1024x1024"}"#) == 7_024)
        #expect(try perImage(#"{"model":"gpt-image-1","prompt":"a cat","size":"1536x1024"}"#) == 2 * 7_024)
        #expect(try perImage(#"{"model":"gpt-image-1","prompt":"a cat","size":"256x256"}"#) == 7_024)
        // No size, or `auto`: the largest drawn (3840×2160, eight such squares).
        #expect(try perImage(#"{"model":"gpt-image-2","prompt":"a cat"}"#) == 8 * 7_024)
        #expect(try perImage(#"{"model":"gpt-image-2","prompt":"a cat","size":"auto"}"#) == 8 * 7_024)
        // An edge past what is drawn counts as the largest edge.
        #expect(try perImage(#"{"model":"gpt-image-2","prompt":"a cat","size":"99999x1024"}"#) == 4 * 7_024)
        // Partial images of a stream cost 100 each.
        #expect(
            try perImage(#"{"model":"gpt-image-1","prompt":"a cat","size":"1024x1024","partial_images":2}"#)
                == 7_024 + 200
        )
        // DALL·E bills by the image: no token price. It is the API's default when no model is
        // named, unless a parameter only the GPT Image models take is set.
        #expect(try perImage(#"{"model":"dall-e-3","prompt":"a cat","size":"1024x1024"}"#) == nil)
        #expect(try perImage(#"{"prompt":"a cat","size":"1024x1024","quality":"hd"}"#) == nil)
        #expect(try perImage(#"{"prompt":"a cat","size":"1024x1024","quality":"high"}"#) == 7_024)
        #expect(try perImage(#"{"prompt":"a cat","size":"1024x1024","output_format":"webp"}"#) == 7_024)
    }

    /// A field named twice counts at what costs the most: providers' parsers differ on which
    /// one they keep.
    @Test func aFieldNamedTwiceCountsAtItsDearest() throws {
        let drawing = try Self.drawing(
            #"{"model":"dall-e-3","model":"gpt-image-2","prompt":"a","size":"256x256","size":"3840x2160","n":1,"n":4,"n":2}"#
        )
        #expect(drawing.worstCaseOutputPerImage == 8 * 7_024)
        #expect(drawing.count == 4)
        // `n` and partial images stay within what the API takes (a larger one is refused).
        let many = try Self.drawing(#"{"model":"gpt-image-1","prompt":"a","n":1e9,"partial_images":99}"#)
        #expect(many.count == 10 && many.partialImages == 3)
    }

    /// In a form too, a field named twice counts at its dearest.
    @Test func aFormFieldNamedTwiceCountsAtItsDearest() throws {
        var body: [UInt8] = []
        for (name, value) in [
            ("model", "gpt-image-1"), ("n", "9"), ("n", "1"), ("size", "3840x2160"), ("size", "256x256"),
        ] {
            body += Array("--b\r\ncontent-disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--b--\r\n".utf8)
        let parts = try #require(MultipartForm.parts(of: body, contentType: "multipart/form-data; boundary=b"))
        let drawing = ImageGeneration(form: parts)
        #expect(drawing.count == 9 && drawing.size == "3840x2160")
        #expect(drawing.worstCaseOutputPerImage == 8 * 7_024)
    }

    /// An edit's form: its text fields, and its uploaded images read for their sizes.
    @Test func anEditsFormIsRead() throws {
        let png = try #require(Data(base64Encoded: TestImage.png(width: 1024, height: 1024, size: 300_000)))
        var body: [UInt8] = []
        for (name, value) in [("model", "gpt-image-1"), ("prompt", "Add a hat"), ("n", "3"), ("size", "1024x1536")] {
            body += Array("--b\r\ncontent-disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--b\r\ncontent-disposition: form-data; name=\"image[]\"; filename=\"cat.png\"\r\n".utf8)
        body += Array("content-type: image/png\r\n\r\n".utf8) + png + Array("\r\n--b--\r\n".utf8)
        let parts = try #require(MultipartForm.parts(of: body, contentType: "multipart/form-data; boundary=b"))
        let drawing = ImageGeneration(form: parts)
        #expect(drawing.model == "gpt-image-1" && drawing.count == 3 && drawing.size == "1024x1536")
        #expect(drawing.inputImages == [InlineMedia(imageBytes: Array(png))])
        #expect(drawing.inputImages.first?.kind == .image(width: 1024, height: 1024))
        // At OpenAI's vision price for its size (1,024 patches at up to 2.46), not its bytes.
        #expect(drawing.worstCaseInputImages == 1_024 * 246 / 100 + 1)
        #expect(drawing.textBytes == "gpt-image-1".utf8.count + "Add a hat".utf8.count + 1 + "1024x1536".utf8.count)
    }
}
