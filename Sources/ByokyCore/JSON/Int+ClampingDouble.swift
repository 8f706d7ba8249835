extension Int {
    /// `value` rounded down and held within `range`: a number read from the network (a JSON
    /// number can be `1e300`) never traps the conversion. Not a number gives the lower bound.
    public static func clamping(_ value: Double, to range: ClosedRange<Int>) -> Int {
        guard !value.isNaN else { return range.lowerBound }
        let floored = value.rounded(.down)
        if floored <= Double(range.lowerBound) { return range.lowerBound }
        // Compared as Doubles first (Int.max becomes 2^63, past every Int): inside, it converts.
        if floored >= Double(range.upperBound) { return range.upperBound }
        return Int(floored)
    }
}
