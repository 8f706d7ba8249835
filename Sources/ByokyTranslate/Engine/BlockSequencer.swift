/// Re-sequences interleaved blocks for stream grammars that keep one block open at a time.
///
/// An OpenAI-family stream may carry several tool calls whose deltas interleave by `index`;
/// Anthropic's stream (one content block open at a time) and Cohere v2's (`tool-call-start` …
/// `tool-call-end`, one at a time) cannot. The sequencer passes the first block through as it
/// arrives and holds the events of any block opened meanwhile; when the open block stops, the
/// held blocks follow in the order they were opened, each start → deltas → stop. Ids, names and
/// argument fragments are kept as they came. Streams that are already sequential pass unchanged
/// and without delay.
struct BlockSequencer: Sendable {
    /// A block that opened while another was being written.
    private struct Held: Sendable {
        let index: Int
        var events: [StreamEvent]
        var isStopped = false
    }

    private var active: Int?
    private var held: [Held] = []

    /// Appends to `output` what may be written now for `event`.
    mutating func sequence(_ event: StreamEvent, into output: inout [StreamEvent]) {
        switch event {
        case .blockStart(let index, _):
            if active == nil, held.isEmpty {
                active = index
                output.append(event)
            } else {
                held.append(Held(index: index, events: [event]))
            }
        case .textDelta(let index, _), .toolArgumentsDelta(let index, _), .thinkingDelta(let index, _),
            .thinkingSignature(let index, _):
            route(event, index: index, into: &output)
        case .blockStop(let index):
            if index == active {
                output.append(event)
                active = nil
                releaseHeld(into: &output)
            } else if let position = held.firstIndex(where: { $0.index == index }) {
                held[position].events.append(event)
                held[position].isStopped = true
            } else {
                output.append(event)
            }
        case .messageDelta, .messageStop, .error:
            // The message ends: whatever is held goes out first, in opening order.
            flush(into: &output)
            output.append(event)
        case .messageStart, .refusalDelta:
            output.append(event)
        }
    }

    private mutating func route(_ event: StreamEvent, index: Int, into output: inout [StreamEvent]) {
        if let position = held.firstIndex(where: { $0.index == index }) {
            held[position].events.append(event)
        } else {
            output.append(event)
        }
    }

    /// After the active block stopped: the held blocks that have stopped go out whole; the first
    /// one still open becomes the active block, its later events then pass straight through.
    private mutating func releaseHeld(into output: inout [StreamEvent]) {
        while !held.isEmpty {
            let next = held.removeFirst()
            output.append(contentsOf: next.events)
            if !next.isStopped {
                active = next.index
                return
            }
        }
    }

    private mutating func flush(into output: inout [StreamEvent]) {
        guard !held.isEmpty else {
            active = nil
            return
        }
        if let open = active { output.append(.blockStop(index: open)) }
        for block in held {
            output.append(contentsOf: block.events)
            if !block.isStopped { output.append(.blockStop(index: block.index)) }
        }
        held.removeAll()
        active = nil
    }
}
