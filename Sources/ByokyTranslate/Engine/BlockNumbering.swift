/// Numbers the blocks a stream reader opens (0, 1, 2, … in opening order) and emits their
/// start and stop events.
struct BlockNumbering: Sendable {
    private var next = 0

    /// Emits `blockStart` for `block` and returns its index.
    mutating func open(_ block: StreamBlock, into events: inout [StreamEvent]) -> Int {
        let index = next
        next += 1
        events.append(.blockStart(index: index, block: block))
        return index
    }

    /// Emits `blockStop` for an open block, if any, and forgets it.
    static func close(_ index: inout Int?, into events: inout [StreamEvent]) {
        if let open = index {
            events.append(.blockStop(index: open))
            index = nil
        }
    }
}
