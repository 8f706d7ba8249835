/// How much audio an Opus packet decodes to, read from its table-of-contents byte (RFC 6716,
/// section 3.1) as a decoder reads it: its configuration's frame size times its frame count.
package enum OpusPacket {
    /// Samples a second a decoder makes, whatever the input's rate was.
    package static let sampleRate = 48_000

    /// The samples (at 48 kHz) a packet decodes to, from its first byte `toc` and, for a packet
    /// of any number of frames (code 3), its second, `count`; `nil` for a packet a decoder
    /// refuses (no frames, or more than 120 ms).
    package static func samples(toc: UInt8, count: UInt8?) -> Int? {
        let configuration = Int(toc >> 3)
        let frame: Int
        switch configuration {
        case 0..<12: frame = [480, 960, 1920, 2880][configuration % 4]  // SILK: 10, 20, 40, 60 ms
        case 12..<16: frame = [480, 960][configuration % 2]  // hybrid: 10, 20 ms
        default: frame = [120, 240, 480, 960][configuration % 4]  // CELT: 2.5, 5, 10, 20 ms
        }
        let frames: Int
        switch toc & 3 {
        case 0: frames = 1
        case 1, 2: frames = 2
        default:
            guard let count else { return nil }
            frames = Int(count & 0x3F)
        }
        let samples = frames * frame
        guard frames > 0, samples <= 5_760 else { return nil }
        return samples
    }

    /// The samples of the packet whose first bytes are `head` (at least one); a packet with no
    /// bytes counts as the longest one may be (a decoder conceals a lost packet with audio of
    /// its own, and an empty packet costs its sender one byte).
    package static func samples(head: some Collection<UInt8>) -> Int? {
        guard let toc = head.first else { return 5_760 }
        return samples(toc: toc, count: head.dropFirst().first)
    }
}
