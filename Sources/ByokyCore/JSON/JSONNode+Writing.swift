extension JSONNode {
    /// Appends the compact JSON text of this value to `bytes`.
    public func write(to bytes: inout [UInt8]) {
        var output = JSONOutput(after: bytes)
        bytes = []
        output.node(self)
        bytes = output.finish()
    }

    /// The compact JSON text of this value as bytes.
    public var jsonBytes: [UInt8] {
        // A chat request or answer fits the writer's first room.
        var output = JSONOutput()
        output.node(self)
        return output.finish()
    }

    /// The compact JSON text of this value.
    public var jsonString: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// Appends `text` as a JSON string, escaped as `JSON.stringify` does (short escapes for
    /// `"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`; `\u00XX` for other control characters).
    package static func writeString(_ text: String, to bytes: inout [UInt8]) {
        var output = JSONOutput(after: bytes)
        bytes = []
        output.string(text)
        bytes = output.finish()
    }
}
