import ByokyTesting
import Testing

@testable import ByokyCore

@Suite struct JSONNodeTests {
    @Test func keepsMemberOrderAndNumberText() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"y":0.1,"b":12345678901234567890,"e":-1.5e-7}}"#
        let node = try JSONNode.parse(text)
        #expect(node.jsonString == text)
        #expect(node["m"]?["b"] == .number("12345678901234567890"))
        #expect(node.objectValue?.members.map(\.key) == ["z", "a", "m"])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let node = try JSONNode.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800x""#)
        #expect(node.stringValue == "a\"b\\c/d\n\té😀\u{FFFD}x")
        // Written back, it parses to the same string.
        #expect(try JSONNode.parse(node.jsonString) == node)
        #expect(JSONNode.string("\u{01}\u{1F}").jsonString == #""\u0001\u001f""#)
    }

    /// Every ASCII character, alone and between runs of plain text, is written as
    /// `JSON.stringify` writes it and parses back to itself.
    @Test func writesEveryASCIICharacterAsJSONStringifyDoes() throws {
        let short: [UInt8: String] = [
            0x22: #"\""#, 0x5C: #"\\"#, 0x0A: #"\n"#, 0x0D: #"\r"#, 0x09: #"\t"#, 0x08: #"\b"#, 0x0C: #"\f"#,
        ]
        for byte in UInt8(0)..<0x80 {
            let character = String(UnicodeScalar(byte))
            let expected =
                short[byte] ?? (byte < 0x20 ? "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16) : character)
            for text in [character, "ab" + character + "cd", character + character + "é"] {
                let written = JSONNode.string(text).jsonString
                let escaped = text.unicodeScalars.map { $0.value == UInt32(byte) ? expected : String($0) }.joined()
                #expect(written == "\"" + escaped + "\"", "\(byte)")
                #expect(try JSONNode.parse(written).stringValue == text)
            }
        }
    }

    @Test func rejectsInvalidJSONWithAnOffset() {
        let cases = [
            "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\u{01}\"", "\"abc", "{} x", "[1 2]", "\"\\x\"",
            "1e",
        ]
        for text in cases {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONNode.parse(text) }
        }
    }

    @Test func refusesDeepNesting() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONNode.parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSONNode.parse(fine) }
    }

    @Test func lastDuplicateKeyWins() throws {
        #expect(try JSONNode.parse(#"{"a":1,"a":2}"#)["a"] == .number("2"))
    }

    /// Setting a name an object has twice sets the one read (the last); removing it removes
    /// both, so the earlier one is not read in its place.
    @Test func settingADuplicatedNameSetsTheOneRead() throws {
        var object = try #require(try JSONNode.parse(#"{"a":1,"b":0,"a":2}"#).objectValue)
        object["a"] = .number("3")
        #expect(object["a"] == .number("3"))
        #expect(object.members.map(\.key) == ["a", "b", "a"])
        object["a"] = nil
        #expect(object["a"] == nil)
        #expect(object.members.map(\.key) == ["b"])
    }

    @Test func equivalenceIgnoresMemberOrder() throws {
        let left = try JSONNode.parse(#"{"a":1,"b":[{"x":1,"y":2}]}"#)
        let right = try JSONNode.parse(#"{"b":[{"y":2,"x":1.0}],"a":1}"#)
        #expect(left.isEquivalent(to: right))
        #expect(!left.isEquivalent(to: try JSONNode.parse(#"{"a":1,"b":[]}"#)))
    }

    /// Members are found by their exact name, as JSON.parse finds them: same-length names are
    /// told apart, and a name spelled with a combining accent is not the precomposed one.
    @Test func membersAreFoundByTheirExactName() throws {
        let node = try JSONNode.parse(#"{"role":"r","type":"t","text":"x","caf\u00e9":1,"cafe\u0301":2}"#)
        #expect(node["role"] == .string("r"))
        #expect(node["type"] == .string("t"))
        #expect(node["text"] == .string("x"))
        #expect(node["tex"] == nil && node["texts"] == nil)
        #expect(node["caf\u{E9}"] == .number("1"))
        #expect(node["cafe\u{301}"] == .number("2"))
        var object = try #require(node.objectValue)
        object["cafe\u{301}"] = .null
        #expect(object["caf\u{E9}"] == .number("1") && object["cafe\u{301}"] == .null && object.count == 5)
    }

    /// A member name the parser hands back from its known names is exactly the name read: every
    /// known name, and every name one byte from one (changed, cut short, one longer, escaped).
    @Test func knownMemberNamesAreReadExactly() throws {
        for name in JSONKnownNames.names {
            var variants = [name, String(name.dropLast()), name + "s", "x" + name]
            for position in name.utf8.indices {
                var bytes = Array(name.utf8)
                let offset = name.utf8.distance(from: name.utf8.startIndex, to: position)
                bytes[offset] = bytes[offset] == UInt8(ascii: "z") ? UInt8(ascii: "y") : UInt8(ascii: "z")
                variants.append(String(decoding: bytes, as: UTF8.self))
            }
            for variant in variants where !variant.isEmpty {
                let node = try JSONNode.parse(#"{"\#(variant)":1}"#)
                #expect(node.objectValue?.members.map(\.key) == [variant])
            }
            // An escaped spelling of the name reads as the name.
            let first = name.unicodeScalars.first!.value
            let escaped = "\\u00" + String(first, radix: 16) + String(name.unicodeScalars.dropFirst())
            #expect(try JSONNode.parse(#"{"\#(escaped)":2}"#)[name]?.intValue == 2)
        }
    }

    /// Lookups compare a tag of each name (its length and first seven bytes) before its text:
    /// they find what a scan by name finds, for names of every length up to 20 that share
    /// their first bytes, with accents, escapes and invalid UTF-8 (repaired) in them, after
    /// members are set and removed too.
    @Test func lookupsFindWhatAScanByNameFinds() throws {
        var random = SeededGenerator(seed: 0x7A6_0042)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("b".utf8), Array("_".utf8), Array(#"\u00e9"#.utf8), Array(#"\n"#.utf8),
            Array("é".utf8), [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ]
        func scan(_ object: JSONObject, _ name: String) -> JSONNode? { object.members.last { $0.key == name }?.value }
        for _ in 0..<300 {
            // Names from a shared stem, so many agree in their first seven bytes.
            let stem = Array("prefix_".utf8.prefix(Int.random(in: 0...7, using: &random)))
            var source: [UInt8] = Array("{".utf8)
            let count = Int.random(in: 1...12, using: &random)
            for index in 0..<count {
                var name = stem
                for _ in 0..<Int.random(in: 0...13, using: &random) { name += pieces.randomElement(using: &random)! }
                if index > 0 { source += Array(",".utf8) }
                source += Array("\"".utf8) + name + Array("\":\(index)".utf8)
            }
            source += Array("}".utf8)
            var object = try #require(try JSONNode.parse(source).objectValue)
            let names = object.members.map(\.key)
            let others = names.map { $0 + "x" } + names.map { String($0.dropLast()) }
            for name in names + others {
                #expect(object[name] == scan(object, name), "\(name)")
            }
            // Set one, remove one, add one: lookups still agree with the scan.
            let changed = names.randomElement(using: &random)!
            object[changed] = .string("changed")
            object[names.randomElement(using: &random)!] = nil
            object[changed + "_new"] = .bool(true)
            for name in names + [changed + "_new"] {
                #expect(object[name] == scan(object, name), "\(name)")
            }
        }
    }
}
