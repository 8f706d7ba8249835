/// Writes compact JSON straight to bytes, value by value, members in the order written: a
/// document written this way costs no tree of ``JSONNode``s to build, write out and free.
///
/// Commas are placed by the writer: a value (or a member's name) after another value at the same
/// level gets one. Member names are static text that needs no escape (a name with a quote,
/// backslash or control character is a programming error).
///
/// ```swift
/// var output = JSONOutput()
/// output.beginObject()
/// output.member("type", "message")
/// output.key("usage")
/// output.beginObject()
/// output.member("output_tokens", int: 9)
/// output.endObject()
/// output.endObject()
/// // output.bytes: {"type":"message","usage":{"output_tokens":9}}
/// ```
package struct JSONOutput {
    /// The bytes written, then zeroed room to write in (`storage.count` is the room's end): a
    /// write copies into the room, with no per-write `append` and its checks.
    private var storage: [UInt8]
    /// How many bytes of `storage` are written.
    private var count: Int
    /// How many bytes were there before this writer (``init(after:)``).
    private let base: Int
    /// Whether the next value or name follows a value at its level.
    private var needsComma = false

    /// A writer with room for `capacity` bytes (the default: a chat request or answer fits, and
    /// the allocation stays within the allocator's per-thread cache of small blocks).
    package init(capacity: Int = 512) {
        storage = []
        count = 0
        base = 0
        // Reserved, then copied from a block of zeros: `Array(repeating:count:)` allocates through
        // a generic function of the standard library's that is not specialized (about 500
        // instructions), and appending a repeated element goes byte by byte.
        storage.reserveCapacity(capacity)
        grow(capacity)
    }

    /// A writer that goes on after `bytes` (its first value gets no comma); ``finish()`` gives
    /// them back with what was written.
    package init(after bytes: [UInt8]) {
        storage = bytes
        count = bytes.count
        base = bytes.count
    }

    /// The bytes written so far (a copy).
    package var bytes: [UInt8] { Array(storage[..<count]) }

    /// The bytes written, handed over without a copy; the writer is left empty.
    package mutating func finish() -> [UInt8] {
        // Taken out of the writer first, so the bytes are uniquely held and cut in place.
        var written: [UInt8] = []
        swap(&written, &storage)
        written.removeSubrange(count...)
        count = 0
        needsComma = false
        return written
    }

    /// A tree written through a writer: one description of a document serves both as bytes and,
    /// read back, as a node to put inside a larger tree. The writer's output always parses;
    /// should it not, the node is `null`.
    package static func node(_ write: (inout JSONOutput) -> Void) -> JSONNode {
        var output = JSONOutput(capacity: 128)
        write(&output)
        return (try? JSONNode.parse(output.finish())) ?? .null
    }

    package mutating func beginObject() {
        open(UInt8(ascii: "{"))
    }

    package mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    package mutating func beginArray() {
        open(UInt8(ascii: "["))
    }

    package mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// A member's name and its colon; its value comes next.
    package mutating func key(_ name: StaticString) {
        let length = name.utf8CodeUnitCount
        reserve(length &+ 4)
        let comma = needsComma
        let start = count
        count &+= storage.withUnsafeMutableBufferPointer { buffer in
            precondition(buffer.count &- start >= length &+ 4)
            var at = buffer.baseAddress! + start
            if comma {
                at.pointee = UInt8(ascii: ",")
                at += 1
            }
            at.pointee = UInt8(ascii: "\"")
            (at + 1).update(from: name.utf8Start, count: length)
            (at + 1 + length).pointee = UInt8(ascii: "\"")
            (at + 2 + length).pointee = UInt8(ascii: ":")
            return (comma ? 4 : 3) &+ length
        }
        needsComma = false
    }

    /// A member's name given as text (a tree's), escaped as a string is, and its colon.
    package mutating func key(_ name: String) {
        separate()
        put(name)
        put(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A string value, escaped as `JSON.stringify` escapes it.
    package mutating func string(_ text: String) {
        separate()
        put(text)
        needsComma = true
    }

    /// A whole number, written as `String(value)` writes it.
    package mutating func int(_ value: Int) {
        separate()
        reserve(20)
        var magnitude = value.magnitude
        let start = count
        count &+= storage.withUnsafeMutableBufferPointer { buffer in
            precondition(buffer.count &- start >= 20)
            let at = buffer.baseAddress! + start
            var length = 0
            if value < 0 {
                at.pointee = UInt8(ascii: "-")
                length = 1
            }
            // The digits, written from the last, then turned around.
            let first = length
            repeat {
                at[length] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                length &+= 1
            } while magnitude > 0
            var digits = UnsafeMutableBufferPointer(start: at + first, count: length &- first)
            digits.reverse()
            return length
        }
        needsComma = true
    }

    package mutating func bool(_ flag: Bool) {
        separate()
        put(flag ? "true" as StaticString : "false")
        needsComma = true
    }

    package mutating func null() {
        separate()
        put("null" as StaticString)
        needsComma = true
    }

    /// A value held as a tree (a tool call's arguments; a whole document).
    package mutating func node(_ value: JSONNode) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text):
            separate()
            var text = text
            text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
            needsComma = true
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for index in elements.indices { node(elements[index]) }
            endArray()
        case .object(let object):
            beginObject()
            // By index, in place: a loop over the members would copy each.
            let members = object.members
            for index in members.indices {
                key(members[index].key)
                node(members[index].value)
            }
            endObject()
        }
    }

    /// A member with a string value.
    package mutating func member(_ name: StaticString, _ text: String) {
        key(name)
        string(text)
    }

    /// A member with a string value, or `null`.
    package mutating func member(_ name: StaticString, _ text: String?) {
        key(name)
        if let text { string(text) } else { null() }
    }

    /// A member with a value held as a tree, left out when there is none.
    package mutating func member(_ name: StaticString, ifPresent value: JSONNode?) {
        guard let value else { return }
        key(name)
        node(value)
    }

    /// A member with a whole-number value.
    package mutating func member(_ name: StaticString, int value: Int) {
        key(name)
        int(value)
    }

    // MARK: Writing bytes

    private mutating func open(_ bracket: UInt8) {
        separate()
        put(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        put(bracket)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { put(UInt8(ascii: ",")) }
    }

    /// Makes room for `extra` more bytes (each write checks it has it, so a wrong count traps
    /// instead of writing past the room).
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if storage.count &- count < extra { grow(extra) }
    }

    /// Adds room: at least `extra`, and about as much as this writer has written (at least 64
    /// bytes, at most 16 KiB at a time), so a long document grows in a few steps, each zero is
    /// written once, and a short write after existing bytes adds little.
    private mutating func grow(_ extra: Int) {
        var step = Swift.max(extra, Swift.min(Swift.max(count &- base, 64), Self.zeros.count))
        while step > 0 {
            // Copied from a block of zeros (appending a repeated element goes byte by byte).
            let part = Swift.min(step, Self.zeros.count)
            storage.append(contentsOf: Self.zeros[..<part])
            step &-= part
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 16 * 1024)

    private mutating func put(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count &+= 1
    }

    private mutating func put(_ source: UnsafeRawBufferPointer) {
        guard let from = source.baseAddress, !source.isEmpty else { return }
        reserve(source.count)
        let start = count
        storage.withUnsafeMutableBufferPointer { buffer in
            precondition(buffer.count &- start >= source.count)
            UnsafeMutableRawPointer(buffer.baseAddress! + start).copyMemory(from: from, byteCount: source.count)
        }
        count &+= source.count
    }

    private mutating func put(_ text: StaticString) {
        put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `text` as a JSON string, escaped as `JSON.stringify` escapes it (short escapes for `"`,
    /// `\\`, `\n`, `\r`, `\t`, `\b`, `\f`; `\u00XX` for other control characters).
    private mutating func put(_ text: String) {
        // Read in place where it can be (`withUTF8` needs a mutable copy: a retain and a release).
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            putEscaped(UnsafeRawBufferPointer(utf8))
        }
        guard written == nil else { return }
        var text = text
        text.withUTF8 { putEscaped(UnsafeRawBufferPointer($0)) }
    }

    /// UTF-8 bytes as a JSON string, with its quotes (``put(_:)-(String)``).
    private mutating func putEscaped(_ raw: UnsafeRawBufferPointer) {
        // Most bytes need no escape: they are found eight at a time and copied a run at a time.
        var offset = JSONPlainRun.end(in: raw, from: 0)
        if offset == raw.count {
            putQuoted(raw)
            return
        }
        put(UInt8(ascii: "\""))
        var runStart = 0
        while offset < raw.count {
            put(UnsafeRawBufferPointer(rebasing: raw[runStart..<offset]))
            putEscape(raw[offset])
            offset &+= 1
            runStart = offset
            offset = JSONPlainRun.end(in: raw, from: offset)
        }
        put(UnsafeRawBufferPointer(rebasing: raw[runStart...]))
        put(UInt8(ascii: "\""))
    }

    /// A string that needs no escape, with its quotes, in one copy.
    private mutating func putQuoted(_ plain: UnsafeRawBufferPointer) {
        reserve(plain.count &+ 2)
        let start = count
        storage.withUnsafeMutableBufferPointer { buffer in
            precondition(buffer.count &- start >= plain.count &+ 2)
            let at = buffer.baseAddress! + start
            at.pointee = UInt8(ascii: "\"")
            if let from = plain.baseAddress {
                UnsafeMutableRawPointer(at + 1).copyMemory(from: from, byteCount: plain.count)
            }
            (at + 1 + plain.count).pointee = UInt8(ascii: "\"")
        }
        count &+= plain.count &+ 2
    }

    private mutating func putEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): put(#"\""# as StaticString)
        case UInt8(ascii: "\\"): put(#"\\"# as StaticString)
        case 0x0A: put(#"\n"# as StaticString)
        case 0x0D: put(#"\r"# as StaticString)
        case 0x09: put(#"\t"# as StaticString)
        case 0x08: put(#"\b"# as StaticString)
        case 0x0C: put(#"\f"# as StaticString)
        default:
            let digits: StaticString = "0123456789abcdef"
            put(#"\u00"# as StaticString)
            put(digits.utf8Start[Int(byte >> 4)])
            put(digits.utf8Start[Int(byte & 0x0F)])
        }
    }
}
