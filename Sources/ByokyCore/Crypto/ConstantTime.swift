/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` are equal, looking at every byte of the longer one.
    ///
    /// The length difference is folded into the result rather than returned early, so timing
    /// reveals at most the lengths.
    public static func equals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        Array(lhs).withUnsafeBytes { left in Array(rhs).withUnsafeBytes { right in equalBytes(left, right) } }
    }

    /// Whether two strings have the same UTF-8 bytes, compared in constant time.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs
        var rhs = rhs
        // In place: no copy of either secret.
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in equalBytes(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right)) }
        }
    }

    private static func equalBytes(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        let length = max(left.count, right.count)
        var difference: UInt8 = left.count == right.count ? 0 : 1
        for index in 0..<length {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
