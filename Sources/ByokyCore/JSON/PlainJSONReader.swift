#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a JSON object's members straight from its bytes, validating as it goes, for the plain
/// objects a provider's `usage` is: member names without escapes, numbers read as numbers. A
/// value of any other kind is checked by ``JSONNode``'s parser and skipped.
///
/// What it accepts and reads is exactly what the parser would: the same grammar, nesting limit,
/// numbers and duplicate rule (the last member of a name wins, as the reader's callers assign in
/// order). A name with an escape is left to the parser whole (``Failure/needsParser``).
struct PlainJSONReader {
    enum Failure: Error {
        /// Not JSON: the parser refuses it too.
        case invalid
        /// JSON this reader does not read (a name with an escape, a value that is not an object
        /// where one was read): parse it.
        case needsParser
    }

    private var parser: JSONNodeParser
    /// The nesting of the value at the cursor, as the parser counts it (0 for the whole).
    private var depth = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        parser = JSONNodeParser(bytes)
    }

    private var bytes: UnsafeRawBufferPointer { parser.bytes }
    private var index: Int {
        get { parser.index }
        set { parser.index = newValue }
    }

    /// Reads `bytes`, which must be one object and nothing else around it but whitespace, calling
    /// `member` with each member's name; `member` must read the value (``number()``,
    /// ``object(_:)`` or ``skipValue()``).
    static func readObject(
        _ bytes: UnsafeRawBufferPointer,
        member: (UnsafeRawBufferPointer, inout PlainJSONReader) throws(Failure) -> Void
    ) throws(Failure) {
        var reader = PlainJSONReader(bytes)
        reader.parser.skipWhitespace()
        guard try reader.object(member) else { throw .needsParser }
        reader.parser.skipWhitespace()
        guard reader.index == bytes.count else { throw .invalid }
    }

    /// Reads the object at the cursor, member by member; `false` (the value skipped, checked)
    /// when the value there is not an object.
    mutating func object(
        _ member: (UnsafeRawBufferPointer, inout PlainJSONReader) throws(Failure) -> Void
    ) throws(Failure) -> Bool {
        guard index < bytes.count else { throw .invalid }
        guard bytes[index] == UInt8(ascii: "{") else {
            try skipValue()
            return false
        }
        guard depth < JSONNode.maximumDepth else { throw .invalid }
        depth += 1
        defer { depth -= 1 }
        index += 1
        parser.skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            parser.skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw .invalid }
            let name = try plainString()
            parser.skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw .invalid }
            index += 1
            parser.skipWhitespace()
            try member(name, &self)
            parser.skipWhitespace()
            guard index < bytes.count else { throw .invalid }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return true
            default: throw .invalid
            }
        }
    }

    /// The number at the cursor as the usage readers take it (a whole number exactly, any other
    /// as `Double` reads its text); `nil`, the value skipped and checked, for any other kind.
    mutating func number() throws(Failure) -> Double? {
        guard index < bytes.count else { throw .invalid }
        let first = bytes[index]
        guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            try skipValue()
            return nil
        }
        let start = index
        var isWhole = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw .invalid }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { throw .invalid }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            isWhole = false
            guard digits() > 0 else { throw .invalid }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            isWhole = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { throw .invalid }
        }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        let isNegative = text[0] == UInt8(ascii: "-")
        // Up to 18 digits a whole number fits an Int: summed here, as `Int(text)` would read it.
        if isWhole, text.count - (isNegative ? 1 : 0) <= 18 {
            var value = 0
            for digit in text.dropFirst(isNegative ? 1 : 0) { value = value * 10 + Int(digit - UInt8(ascii: "0")) }
            return Double(isNegative ? -value : value)
        }
        return Double(String(decoding: text, as: UTF8.self))
    }

    /// Skips the value at the cursor after checking it is JSON.
    mutating func skipValue() throws(Failure) {
        guard index < bytes.count else { throw .invalid }
        switch bytes[index] {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try number()
        case UInt8(ascii: "\""):
            let start = index
            do {
                _ = try plainString()
            } catch .needsParser {
                index = start
                try parse()
            }
        default:
            try parse()
        }
    }

    /// The value at the cursor read by the parser, at the nesting the parser would count.
    private mutating func parse() throws(Failure) {
        do {
            _ = try parser.parseValue(depth: depth)
        } catch {
            throw .invalid
        }
    }

    /// The bytes inside the string at the cursor, which must hold no escape (else
    /// ``Failure/needsParser``, the cursor left inside it) and no control character.
    private mutating func plainString() throws(Failure) -> UnsafeRawBufferPointer {
        index += 1
        let start = index
        index = JSONPlainRun.end(in: bytes, from: index)
        guard index < bytes.count else { throw .invalid }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index += 1
            return UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)])
        case UInt8(ascii: "\\"): throw .needsParser
        default: throw .invalid
        }
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    /// Whether a member's name is `name`.
    static func name(_ bytes: UnsafeRawBufferPointer, is name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount
            && (bytes.isEmpty || memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0)
    }
}
