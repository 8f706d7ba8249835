/// A yes-or-no verdict on each element of a short list, reached once: for a text written in two
/// passes (measured, then copied), whose checks (a header name a token, a value without CR or LF)
/// would otherwise run twice. The first 64 verdicts are kept as bits; a later element (a list
/// that long never comes from a provider) is judged again each time it is asked about.
package struct ElementVerdicts {
    private var bits: UInt64 = 0
    private let judge: (Int) -> Bool

    /// Judges elements `0..<count` with `judge`.
    package init(count: Int, judge: @escaping (Int) -> Bool) {
        self.judge = judge
        for index in 0..<min(count, 64) where judge(index) { bits |= 1 << index }
    }

    /// The verdict on element `index`.
    package subscript(index: Int) -> Bool {
        index < 64 ? bits & 1 << index != 0 : judge(index)
    }
}
