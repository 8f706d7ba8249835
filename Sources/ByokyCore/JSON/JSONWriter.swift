/// Writes compact JSON with members in exactly the order given.
///
/// Foundation's `JSONEncoder` does not promise member order, and some formats (gift links,
/// pairing payloads) must be byte-identical to the original's output. The bytes are written by
/// ``JSONOutput``, the writer every JSON document of the project goes out through.
public struct JSONWriter: Sendable {
    private var output = JSONOutput(capacity: 256)

    /// The bytes written so far.
    public var bytes: [UInt8] { output.bytes }

    public init() {}

    /// Writes `value`; objects given as ``JSONValue/object(_:)`` are written with sorted keys.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: output.null()
        case .bool(let flag): output.bool(flag)
        // Whole numbers without a fraction, as JSON.stringify writes them; not finite: null.
        case .number(let number): output.node(.double(number))
        case .string(let text): output.string(text)
        case .array(let elements):
            output.beginArray()
            for element in elements { write(element) }
            output.endArray()
        case .object(let members):
            writeObject(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    /// Writes an object whose members appear in the given order; `nil` values are left out.
    public mutating func writeObject(_ members: [(String, JSONValue?)]) {
        output.beginObject()
        for (key, value) in members {
            guard let value else { continue }
            output.key(key)
            write(value)
        }
        output.endObject()
    }

    /// The compact JSON for an ordered object.
    public static func object(_ members: [(String, JSONValue?)]) -> [UInt8] {
        var writer = JSONWriter()
        writer.writeObject(members)
        return writer.output.finish()
    }
}
