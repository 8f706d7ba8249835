extension JSONNode {
    /// Appends the compact JSON text of this value to `bytes`.
    public func write(to bytes: inout [UInt8]) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                element.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for member in object {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text of this value as bytes.
    public var jsonBytes: [UInt8] {
        var bytes: [UInt8] = []
        // A chat request or answer fits: one allocation instead of one per doubling.
        bytes.reserveCapacity(512)
        write(to: &bytes)
        return bytes
    }

    /// The compact JSON text of this value.
    public var jsonString: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// Appends `text` as a JSON string, escaped as `JSON.stringify` does (short escapes for
    /// `"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`; `\u00XX` for other control characters).
    package static func writeString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most bytes need no escape: they are found eight at a time and copied a run at a time.
            let raw = UnsafeRawBufferPointer(utf8)
            var runStart = 0
            var offset = JSONPlainRun.end(in: raw, from: 0)
            while offset < utf8.count {
                let byte = utf8[offset]
                let escape: StaticString?
                switch byte {
                case UInt8(ascii: "\""): escape = #"\""#
                case UInt8(ascii: "\\"): escape = #"\\"#
                case 0x0A: escape = #"\n"#
                case 0x0D: escape = #"\r"#
                case 0x09: escape = #"\t"#
                case 0x08: escape = #"\b"#
                case 0x0C: escape = #"\f"#
                default: escape = nil
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                offset += 1
                runStart = offset
                if let escape {
                    bytes.append(
                        contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount)
                    )
                } else {
                    let digits: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: #"\u00"#.utf8)
                    bytes.append(digits.utf8Start[Int(byte >> 4)])
                    bytes.append(digits.utf8Start[Int(byte & 0x0F)])
                }
                offset = JSONPlainRun.end(in: raw, from: offset)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
