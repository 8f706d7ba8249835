import Testing

@testable import ByokyCore

struct JSONPatchTests {
    private func patch(_ json: String, _ value: String = "gpt-5.5") -> String? {
        JSONPatch.settingTopLevelString("model", to: value, in: Array(json.utf8)).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    @Test func replacesOnlyTheTopLevelValue() {
        #expect(
            patch(#"{"model": "old", "seed": 9007199254740993, "tools":[{"model":"inner"}]}"#)
                == #"{"model": "gpt-5.5", "seed": 9007199254740993, "tools":[{"model":"inner"}]}"#
        )
        #expect(
            patch(#"{"messages":[{"content":"say \"model\": x"}],"model":null}"#)
                == #"{"messages":[{"content":"say \"model\": x"}],"model":"gpt-5.5"}"#
        )
        #expect(
            patch(#"{"a":{"model":"x"},"model":{"n":[1,2]},"z":1}"#) == #"{"a":{"model":"x"},"model":"gpt-5.5","z":1}"#
        )
    }

    /// However the document spells the member (twice, or with an escape in its name), the
    /// result has exactly one, holding the value set: a provider's parser reads that value
    /// whether it keeps the first or the last of a name.
    @Test func leavesOneMemberOfTheNameHoweverItWasSpelled() throws {
        let spellings = [
            #"{"model":"cheap","max_tokens":5,"m\u006fdel":"dear"}"#,
            #"{"m\u006fdel":"dear","model":"cheap"}"#,
            #"{"model":"cheap","model":"dear","seed":9007199254740993}"#,
            #"{"\u006d\u006f\u0064\u0065\u006c":"dear","messages":[{"model":"inner"}]}"#,
            #"{"mod\u0065l":"dear","model":"cheap","mode\u006c":"dearer"}"#,
        ]
        for spelling in spellings {
            let patched = try #require(patch(spelling), "\(spelling)")
            let members = try #require(try JSONNode.parse(patched).objectValue?.members)
            #expect(members.filter { $0.key == "model" }.map(\.value) == [.string("gpt-5.5")], "\(spelling)")
            // Every other member is kept, numbers as they were spelled.
            let original = try #require(try JSONNode.parse(spelling).objectValue?.members)
            #expect(
                members.filter { $0.key != "model" } == original.filter { $0.key != "model" },
                "\(spelling)"
            )
        }
        // Any name with an escape, even one that spells another name, has the document written
        // back from its parsed form (compact, the escape decoded).
        #expect(patch(#"{"a\u0062":1,"model":"x"}"#) == #"{"ab":1,"model":"gpt-5.5"}"#)
    }

    @Test func addsTheMemberWhenAbsentAndEscapesTheValue() {
        #expect(patch(#"{"messages":[]}"#, #"we"ird"#) == #"{"messages":[],"model":"we\"ird"}"#)
        #expect(patch("{}") == #"{"model":"gpt-5.5"}"#)
        #expect(patch("[1]") == nil)
        #expect(patch("not json") == nil)
    }
}

/// Reading one top-level member without parsing the document.
struct JSONTopLevelScannerTests {
    static func model(_ json: String) -> String? {
        JSONTopLevelScanner.string(forKey: "model", in: Array(json.utf8))
    }

    @Test func findsOnlyTheTopLevelStringAndDecodesIt() {
        #expect(Self.model(#"{"model":"claude-sonnet-4-6","max_tokens":5}"#) == "claude-sonnet-4-6")
        #expect(Self.model(#" { "messages": [{"model":"inner"}], "model" : "a\"b\u00e9" } "#) == "a\"bé")
        #expect(Self.model(#"{"messages":[{"content":"\"model\":\"fake\""}],"model":"real"}"#) == "real")
        #expect(Self.model(#"{"a":{"model":"nested"}}"#) == nil)
        #expect(Self.model(#"{"model":null}"#) == nil)
        #expect(Self.model(#"{"model":{"name":"x"}}"#) == nil)
        #expect(Self.model(#"{"model":"first","model":"last"}"#) == "last")
        // A name with an escape may spell the key: the document is read as a parser reads it.
        #expect(Self.model(#"{"model":"cheap","m\u006fdel":"dear"}"#) == "dear")
        #expect(Self.model(#"{"m\u006fdel":"dear","model":"cheap"}"#) == "cheap")
        #expect(Self.model(#"{"a\u0062":1,"model":"cheap"}"#) == "cheap")
        #expect(Self.model(#"{"m\u006fdel":7}"#) == nil)
        #expect(Self.model(#"[{"model":"x"}]"#) == nil)
        #expect(Self.model(#"{"model":"unterminated"#) == nil)
        #expect(Self.model("") == nil)
    }

    /// Every member named, each time it appears, in order, its value parsed; `nil` where a name
    /// holds an escape (it may spell one asked for) or a value is not JSON.
    @Test func membersNamedAreReadEachTimeTheyAppear() throws {
        let keys = JSONTopLevelScanner.Keys(["n", "max_tokens"])
        func read(_ json: String) -> [JSONObject.Member]? {
            Array(json.utf8).withUnsafeBytes { JSONTopLevelScanner.members(named: keys, in: $0) }
        }
        let members = try #require(read(#"{"max_tokens":10,"messages":[{"n":9}],"n":4,"max_tokens":100}"#))
        #expect(members.map(\.key) == ["max_tokens", "n", "max_tokens"])
        #expect(members.map(\.value) == [.number("10"), .number("4"), .number("100")])
        #expect(read(#"{"messages":[]}"#)?.isEmpty == true)
        #expect(read(#"{"\u006e":4,"max_tokens":1}"#) == nil)
        #expect(read(#"{"n":4x,"max_tokens":1}"#) == nil)
        #expect(read(#"[{"n":4}]"#) == nil)
    }

    /// A string value is read from its bytes when it can be, else parsed: the answer is the
    /// parser's either way (escapes decoded, control characters and cut strings refused).
    @Test func aStringReadFromItsBytesIsWhatTheParserReads() {
        let values: [[UInt8]] = [
            Array(#""plain""#.utf8), Array(#""""#.utf8), Array(#""é 中 🙂""#.utf8), Array(#""a\"b""#.utf8),
            Array(#""a\\""#.utf8), Array(#""\u00e9""#.utf8), Array(#""tab\there""#.utf8),
            [0x22, 0x61, 0x09, 0x62, 0x22], [0x22, 0x61, 0x0A, 0x22], [0x22, 0x1F, 0x22], [0x22, 0xFF, 0xFE, 0x22],
            Array(#""bad\q""#.utf8), Array(#""cut"#.utf8), Array(#""cut\"#.utf8), [0x22],
        ]
        for value in values {
            for document in [Array(#"{"model":"#.utf8) + value + Array("}".utf8), Array(#"{"model":"#.utf8) + value] {
                let expected = document.withUnsafeBytes { buffer -> String? in
                    guard let span = JSONTopLevelScanner.valueSpan(ofKey: "model", in: buffer)?.value else {
                        return nil
                    }
                    return (try? JSONNode.parse(UnsafeRawBufferPointer(rebasing: buffer[span])))?.stringValue
                }
                #expect(
                    JSONTopLevelScanner.string(forKey: "model", in: document) == expected,
                    "\(String(decoding: document, as: UTF8.self))"
                )
            }
        }
    }

    static func spans(_ json: String, _ keys: [String]) -> [String: String]? {
        let bytes = Array(json.utf8)
        return bytes.withUnsafeBytes { buffer in
            JSONTopLevelScanner.valueSpans(ofKeys: keys, in: buffer)?.mapValues {
                String(decoding: bytes[$0], as: UTF8.self)
            }
        }
    }

    @Test func spansOfSeveralMembersSkipEverythingElse() {
        let json =
            #" {"content":[{"usage":{"x":1}},"\"usage\":2"],"type":"message","usage":{"a":[1,{"b":2}]} , "n":-1.5e3,"type":"last"}"#
        #expect(
            Self.spans(json, ["usage", "type", "n", "absent"]) == [
                "usage": #"{"a":[1,{"b":2}]}"#, "type": #""last""#, "n": "-1.5e3",
            ]
        )
        #expect(Self.spans(#"{}"#, ["usage"]) == [:])
        #expect(Self.spans(#"{"usage":true,"more":null}"#, ["usage", "more"]) == ["usage": "true", "more": "null"])
        #expect(Self.spans("{\"a\" : 12 \n, \"b\":false\t}", ["a", "b"]) == ["a": "12", "b": "false"])
    }

    /// Keys of every length from 1 to 70 (the look-up passes over names of a length no key has,
    /// and knows lengths only below 64), among names one byte longer or shorter, and an empty key.
    @Test func spansAreFoundForKeysOfEveryLength() {
        let keys = (1...70).filter { $0 % 3 != 0 }.map { String(repeating: "k", count: $0) } + [""]
        var members: [String] = []
        var expected: [String: String] = [:]
        for length in 1...71 {
            let name = String(repeating: "k", count: length)
            members.append(#""\#(name)":\#(length)"#)
            if keys.contains(name) { expected[name] = String(length) }
            members.append(#""\#(name)x":0"#)
        }
        members.append(#""":"empty""#)
        expected[""] = #""empty""#
        #expect(Self.spans("{" + members.joined(separator: ",") + "}", keys) == expected)
    }

    @Test func spansRefuseWhatOnlyAParserCanRead() {
        // Not an object, or a member name with an escape: the caller parses the document.
        #expect(Self.spans(#"[{"usage":{}}]"#, ["usage"]) == nil)
        #expect(Self.spans("not json", ["usage"]) == nil)
        #expect(Self.spans("", ["usage"]) == nil)
        #expect(Self.spans(#"{"us\u0061ge":{"a":1}}"#, ["usage"]) == nil)
        // An escape inside a value is no reason to give up.
        #expect(Self.spans(#"{"text":"a\"b","usage":1}"#, ["usage"]) == ["usage": "1"])
    }

    @Test func aQuoteClosesAStringUnlessAnOddRunOfBackslashesComesBeforeIt() {
        // `\\` is an escaped backslash (the quote after it closes), `\\\"` an escaped quote.
        let json = #"{"a":"x\\","usage":1,"b":"y\\\"\\\"","type":"t","c":"\\\\","n":2}"#
        #expect(Self.spans(json, ["usage", "type", "n"]) == ["usage": "1", "type": #""t""#, "n": "2"])
        #expect(Self.spans(#"{"a":"\\\","usage":1}"#, ["usage"]) == [:])
        #expect(Self.model(#"{"model":"\\","x":"\\\"model\\\":\"no\""}"#) == "\\")
        #expect(Self.model(#"{"model":"unterminated\""#) == nil)
        // A long string, whatever its length, is skipped whole.
        let text = String(repeating: "Hello \"world\" ", count: 500)
        #expect(Self.model(#"{"content":[{"text":""# + text + #""}],"model":"m"}"#) == "m")
    }
}
