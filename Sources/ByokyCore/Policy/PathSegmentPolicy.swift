/// Refuses URL paths whose meaning could change on the way to the provider.
///
/// A path passes only when its segment structure is the same before and after any amount of
/// percent-decoding: a server, proxy or framework that decodes once (or twice) must see the
/// same segments the wallet checked. Refused, before any key is attached:
/// - dot segments, plain (`..`) or encoded in any mix (`%2e%2E`, `.%2e`), also after double
///   encoding (`%252e`);
/// - encoded separators (`%2f`, `%5c`) and backslashes;
/// - control bytes, raw or encoded (`%00`, `%0d`);
/// - empty segments in the middle (`//`), which some servers merge and others keep.
///
/// The query is not a path and is not checked here.
public enum PathSegmentPolicy {
    /// How many rounds of decoding are applied before a path that still decodes is refused.
    public static let maximumDecodingRounds = 3

    /// Why `path` is refused, or `nil` when it is safe.
    public static func refusal(of path: some Collection<UInt8>) -> String? {
        // Read from contiguous bytes (a string's, usually): one call through the collection,
        // not one per byte.
        path.withContiguousStorageIfAvailable(refusal(ofBytes:))
            ?? Array(path).withUnsafeBufferPointer(refusal(ofBytes:))
    }

    private static func refusal(ofBytes path: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        for index in path.indices where path[index] == UInt8(ascii: "/") {
            // The leading slash opens the path; any other empty segment is a `//`.
            if index > 0, index == start { return "The path has an empty segment (//)" }
            if index > 0, let reason = refusal(ofSegment: UnsafeBufferPointer(rebasing: path[start..<index])) {
                return reason
            }
            start = index + 1
        }
        if !path.isEmpty, let reason = refusal(ofSegment: UnsafeBufferPointer(rebasing: path[start...])) {
            return reason
        }
        return nil
    }

    /// Whether `path` keeps its segments under percent-decoding (see the type's documentation).
    public static func isSafe(_ path: some Collection<UInt8>) -> Bool {
        refusal(of: path) == nil
    }

    /// Checks one segment (without its slashes), raw and after each round of decoding.
    private static func refusal(ofSegment raw: UnsafeBufferPointer<UInt8>) -> String? {
        if let reason = refusal(ofSegment: raw, round: 0) { return reason }
        guard var current = decodedOnce(raw) else { return nil }
        for round in 1...maximumDecodingRounds {
            if let reason = current.withUnsafeBufferPointer({ refusal(ofSegment: $0, round: round) }) {
                return reason
            }
            guard let decoded = current.withUnsafeBufferPointer(decodedOnce) else { return nil }
            if round == maximumDecodingRounds {
                return "The path is percent-encoded too many times"
            }
            current = decoded
        }
        return nil
    }

    /// What is wrong with a segment as it reads after `round` rounds of decoding.
    private static func refusal(ofSegment current: UnsafeBufferPointer<UInt8>, round: Int) -> String? {
        if current.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return "The path holds a control character"
        }
        if current.contains(UInt8(ascii: "\\")) { return "The path holds a backslash" }
        if round > 0, current.contains(UInt8(ascii: "/")) { return "The path holds an encoded slash" }
        if !current.isEmpty, current.count <= 2, current.allSatisfy({ $0 == UInt8(ascii: ".") }) {
            return round == 0 ? "The path holds a dot segment" : "The path holds an encoded dot segment"
        }
        return nil
    }

    /// One round of percent-decoding, or `nil` when `bytes` holds no valid `%XX` escape.
    static func decodedOnce(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard bytes.contains(UInt8(ascii: "%")) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var changed = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
                changed = true
            } else {
                output.append(byte)
                index += 1
            }
        }
        return changed ? output : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
