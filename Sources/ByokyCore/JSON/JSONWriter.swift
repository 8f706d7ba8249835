/// Writes compact JSON with members in exactly the order given.
///
/// Foundation's `JSONEncoder` does not promise member order, and some formats (gift links,
/// pairing payloads) must be byte-identical to the original's output.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Writes `value`; objects given as ``JSONValue/object(_:)`` are written with sorted keys.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): writeNumber(number)
        case .string(let text): writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            writeObject(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    /// Writes an object whose members appear in the given order; `nil` values are left out.
    public mutating func writeObject(_ members: [(String, JSONValue?)]) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in members {
            guard let value else { continue }
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeString(key)
            bytes.append(UInt8(ascii: ":"))
            write(value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The compact JSON for an ordered object.
    public static func object(_ members: [(String, JSONValue?)]) -> [UInt8] {
        var writer = JSONWriter()
        writer.writeObject(members)
        return writer.bytes
    }

    private mutating func writeNumber(_ number: Double) {
        guard number.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        if number == number.rounded(), abs(number) < 9.007_199_254_740_992e15 {
            bytes.append(contentsOf: String(Int64(number)).utf8)
        } else {
            bytes.append(contentsOf: "\(number)".utf8)
        }
    }

    private mutating func writeString(_ text: String) {
        JSONNode.writeString(text, to: &bytes)
    }
}
