import ByokyTesting
import Testing

@testable import ByokyCore

/// The byte writer every JSON document goes out through: its output equals a plain reference
/// writer's (escapes as `JSON.stringify`, commas, member order) for seeded random trees with
/// strings long enough to make it grow, after any prefix, and through its own member API.
@Suite struct JSONOutputTests {
    /// What the writer must produce, written the slow, obvious way.
    static func reference(_ node: JSONNode) -> String {
        switch node {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return referenceString(text)
        case .array(let elements): return "[" + elements.map(reference).joined(separator: ",") + "]"
        case .object(let object):
            return "{"
                + object.members.map { referenceString($0.key) + ":" + reference($0.value) }.joined(separator: ",")
                + "}"
        }
    }

    static func referenceString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func randomString(using generator: inout SeededGenerator) -> String {
        let pieces = [
            "a", "plain text ", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{01}", "\u{1F}", "é",
            "😀", "/",
            "\u{7F}", "x",
        ]
        // Mostly short; now and then long enough to cross the writer's first room and its steps.
        let length =
            Int.random(in: 0..<10, using: &generator) == 0
            ? Int.random(in: 200..<5_000, using: &generator) : Int.random(in: 0..<12, using: &generator)
        var text = ""
        for _ in 0..<length { text += pieces.randomElement(using: &generator)! }
        return text
    }

    static func randomNode(depth: Int, using generator: inout SeededGenerator) -> JSONNode {
        let kind = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: Int.min...Int.max, using: &generator))
        case 3: return .number(["0", "-1.5e-7", "12345678901234567890", "0.1"].randomElement(using: &generator)!)
        case 4: return .string(randomString(using: &generator))
        case 5:
            return .array(
                (0..<Int.random(in: 0..<5, using: &generator)).map { _ in
                    randomNode(depth: depth + 1, using: &generator)
                }
            )
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0..<5, using: &generator) {
                object[randomString(using: &generator)] = randomNode(depth: depth + 1, using: &generator)
            }
            return .object(object)
        }
    }

    /// The same tree through the writer's own calls, as the translation's writers make them.
    static func writeByCalls(_ node: JSONNode, to output: inout JSONOutput) {
        switch node {
        case .null: output.null()
        case .bool(let flag): output.bool(flag)
        case .number(let text):
            if let whole = Int(text), String(whole) == text { output.int(whole) } else { output.node(node) }
        case .string(let text): output.string(text)
        case .array(let elements):
            output.beginArray()
            for element in elements { writeByCalls(element, to: &output) }
            output.endArray()
        case .object(let object):
            output.beginObject()
            for member in object {
                output.key(member.key)
                writeByCalls(member.value, to: &output)
            }
            output.endObject()
        }
    }

    @Test func treesAreWrittenAsTheReferenceWritesThem() throws {
        var generator = SeededGenerator(seed: 41)
        for _ in 0..<400 {
            let node = Self.randomNode(depth: 0, using: &generator)
            let expected = Self.reference(node)
            #expect(node.jsonString == expected)
            var output = JSONOutput(capacity: Int.random(in: 0..<64, using: &generator))
            Self.writeByCalls(node, to: &output)
            #expect(String(decoding: output.finish(), as: UTF8.self) == expected)
            #expect(try JSONNode.parse(node.jsonBytes) == node)
        }
    }

    @Test func writingAfterBytesKeepsThemAndAddsTheValue() {
        var generator = SeededGenerator(seed: 43)
        for prefixLength in [0, 1, 511, 512, 20_000] {
            let prefix = (0..<prefixLength).map { UInt8(truncatingIfNeeded: $0 % 251) }
            for _ in 0..<20 {
                let node = Self.randomNode(depth: 2, using: &generator)
                var bytes = prefix
                node.write(to: &bytes)
                #expect(bytes == prefix + Array(Self.reference(node).utf8))
                let text = Self.randomString(using: &generator)
                var stringBytes = prefix
                JSONNode.writeString(text, to: &stringBytes)
                JSONNode.writeString(text, to: &stringBytes)
                #expect(stringBytes == prefix + Array((Self.referenceString(text) + Self.referenceString(text)).utf8))
            }
        }
    }

    /// A plain run longer than any step the room grows by is still written in one piece.
    @Test func longPlainStringsAreWrittenWhole() {
        for length in [255, 256, 257, 16 * 1024 + 1, 100_000] {
            let text = String(repeating: "k", count: length)
            #expect(JSONNode.string(text).jsonBytes == Array("\"\(text)\"".utf8))
            var bytes: [UInt8] = [UInt8(ascii: "[")]
            JSONNode.writeString(text + "\n" + text, to: &bytes)
            #expect(bytes == Array("[\"\(text)\\n\(text)\"".utf8))
        }
    }

    @Test func numbersAndMembersAreWrittenWhole() throws {
        for value in [0, 1, -1, 9, 10, -10, 1_764_201_600, Int.max, Int.min] {
            var output = JSONOutput(capacity: 0)
            output.int(value)
            #expect(output.bytes == Array(String(value).utf8))
        }
        var output = JSONOutput()
        output.beginObject()
        output.member("id", "msg_1")
        output.member("stop_sequence", nil as String?)
        output.member("count", int: -7)
        output.key("list")
        output.beginArray()
        output.bool(true)
        output.null()
        output.node(try JSONNode.parse(#"{"a":[1,{}]}"#))
        output.beginObject()
        output.endObject()
        output.endArray()
        output.endObject()
        #expect(
            String(decoding: output.finish(), as: UTF8.self)
                == #"{"id":"msg_1","stop_sequence":null,"count":-7,"list":[true,null,{"a":[1,{}]},{}]}"#
        )
        #expect(JSONOutput.node { $0.member("x", int: 1) } == .null)
        #expect(
            JSONOutput.node {
                $0.beginObject()
                $0.member("x", int: 1)
                $0.endObject()
            } == .object(JSONObject([("x", .int(1))]))
        )
    }
}
