import ByokyCore
import Foundation
import Testing

struct JSONWriterTests {
    @Test func keepsMemberOrderAndEscapesStrings() throws {
        let bytes = JSONWriter.object([
            ("z", .string("quote\" slash\\ nl\n tab\t ctl\u{1} é🔑")), ("a", .number(3)), ("skip", nil),
            ("m", .array([.bool(true), .null, .number(0.5), .number(-1_764_000_000_000)])),
        ])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == #"{"z":"quote\" slash\\ nl\n tab\t ctl\u0001 é🔑","a":3,"m":[true,null,0.5,-1764000000000]}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(parsed["z"] as? String == "quote\" slash\\ nl\n tab\t ctl\u{1} é🔑")
    }

    @Test func bothWritersEscapeControlCharactersAsJavaScriptDoes() throws {
        let text = "bell\u{7} back\u{8} feed\u{C} end\u{1F} \"q\" \\"
        let expected = #""bell\u0007 back\b feed\f end\u001f \"q\" \\""#
        var writer = JSONWriter()
        writer.write(.string(text))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        #expect(JSONNode.string(text).jsonString == expected)
        #expect(try JSONNode.parse(Array(expected.utf8)) == .string(text))
    }

    @Test func unorderedObjectsAreWrittenWithSortedKeys() {
        var writer = JSONWriter()
        writer.write(.object(["b": .number(1), "a": .object(["d": .null, "c": .string("x")])]))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":{"c":"x","d":null},"b":1}"#)
    }
}
