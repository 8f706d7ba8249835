/// Opus audio in Ogg (`.ogg`, `.opus`) and WebM (a browser's `MediaRecorder`): its length read
/// as a decoder makes it, packet by packet, each packet's length in its own first byte
/// (``OpusPacket``). A file's stated lengths (Ogg's granule positions; WebM's block times and
/// segment duration) count too, when larger: a provider may bill by them. Every reading only adds,
/// and a hold is never more than the upload's bytes allow, so a forged header can raise what an
/// upload holds up to that bound, never lower it below the audio it carries.
extension AudioDuration {
    /// The most streams (Ogg) or tracks (WebM) a file read may have: recordings have one or two.
    static let maximumStreams = 16

    // MARK: Ogg

    /// The seconds of an Ogg file whose every stream is Opus; `nil` otherwise.
    static func ogg(_ bytes: [UInt8]) -> Double? {
        guard bytes.starts(with: Array("OggS".utf8)) else { return nil }
        /// Each stream's packets so far (its first two are the Opus header and tags).
        var packets: [UInt32: Int] = [:]
        var samples = 0
        var granules: [UInt32: Int64] = [:]
        let walked = OggPages.walk(
            bytes,
            packet: { packet in
                // A file of many streams (each page a new one) is not a recording: not read,
                // nor kept in memory stream by stream.
                guard packets[packet.serial] != nil || packets.count < maximumStreams else { return false }
                let index = packets[packet.serial, default: 0]
                packets[packet.serial] = index + 1
                switch index {
                case 0: return packet.head.elementsEqual("OpusHead".utf8)
                case 1: return packet.head.starts(with: Array("OpusTags".utf8))
                default:
                    guard let count = OpusPacket.samples(head: packet.head) else { return false }
                    samples += count
                    return true
                }
            },
            granule: { serial, position in
                if position > granules[serial, default: 0], granules.count < maximumStreams || granules[serial] != nil {
                    granules[serial] = position
                }
            }
        )
        guard walked, samples > 0 else { return nil }
        let stated = granules.values.max() ?? 0
        return Double(max(Int64(samples), stated)) / Double(OpusPacket.sampleRate)
    }

    // MARK: WebM

    /// Matroska IDs (marker bits kept) of the elements read or gone into.
    private enum ID {
        static let ebml: UInt32 = 0x1A45_DFA3
        static let segment: UInt32 = 0x1853_8067
        static let info: UInt32 = 0x1549_A966
        static let timecodeScale: UInt32 = 0x2A_D7B1
        static let duration: UInt32 = 0x4489
        static let tracks: UInt32 = 0x1654_AE6B
        static let trackEntry: UInt32 = 0xAE
        static let trackNumber: UInt32 = 0xD7
        static let codecID: UInt32 = 0x86
        static let cluster: UInt32 = 0x1F43_B675
        static let timecode: UInt32 = 0xE7
        static let simpleBlock: UInt32 = 0xA3
        static let blockGroup: UInt32 = 0xA0
        static let block: UInt32 = 0xA1
        /// Gone into, not skipped: their children are read where they are met.
        static let containers: Set<UInt32> = [segment, info, tracks, cluster, blockGroup]
    }

    /// The seconds of a WebM (or Matroska) file whose every audio track is Opus; `nil`
    /// otherwise. Elements are read in one walk from start to end, going into the segment,
    /// its information, tracks and clusters (whose sizes a live recording leaves unknown) and
    /// over everything else.
    static func webm(_ bytes: [UInt8]) -> Double? {
        guard let first = MatroskaElements.header(in: bytes, at: 0), first.id == ID.ebml else { return nil }
        /// Tracks by number: whether each is Opus audio (others are skipped; audio of another
        /// codec makes the file unread).
        var opusTracks: [UInt64: Bool] = [:]
        var scale = 1_000_000.0  // nanoseconds a timecode unit
        var statedDuration = 0.0
        var clusterTime: UInt64 = 0
        var samples = 0
        var lastEnd = 0.0
        var offset = 0
        while offset < bytes.count {
            guard let (id, size, content) = MatroskaElements.header(in: bytes, at: offset) else { return nil }
            if ID.containers.contains(id) {
                offset = content
                continue
            }
            guard let size, content + size <= bytes.count else { return nil }
            let range = content..<(content + size)
            offset = range.upperBound
            switch id {
            case ID.timecodeScale:
                guard let value = MatroskaElements.unsigned(bytes, range), value > 0 else { return nil }
                scale = Double(value)
            case ID.duration:
                guard let value = MatroskaElements.float(bytes, range), value.isFinite, value >= 0 else { return nil }
                statedDuration = value
            case ID.trackEntry:
                guard let (number, isOpus) = track(bytes, range), opusTracks.count < maximumStreams else { return nil }
                opusTracks[number] = isOpus
            case ID.timecode:
                guard let value = MatroskaElements.unsigned(bytes, range) else { return nil }
                clusterTime = value
            case ID.simpleBlock, ID.block:
                guard let (number, length) = MatroskaElements.vint(bytes, at: content, keepingMarker: false),
                    let isOpus = opusTracks[number], content + length + 3 <= range.upperBound
                else { return nil }
                guard isOpus else { continue }
                let relative = Int16(
                    bitPattern: UInt16(bytes[content + length]) << 8 | UInt16(bytes[content + length + 1])
                )
                let lacing = (bytes[content + length + 2] >> 1) & 3
                guard
                    let frames = MatroskaElements.frames(
                        in: bytes,
                        from: content + length + 3,
                        to: range.upperBound,
                        lacing: lacing
                    )
                else { return nil }
                var blockSamples = 0
                for frame in frames {
                    guard let count = OpusPacket.samples(head: bytes[frame]) else { return nil }
                    blockSamples += count
                }
                samples += blockSamples
                let start = (Double(clusterTime) + Double(relative)) * scale / 1e9
                lastEnd = max(lastEnd, start + Double(blockSamples) / Double(OpusPacket.sampleRate))
            default:
                break
            }
        }
        guard samples > 0 else { return nil }
        let decoded = Double(samples) / Double(OpusPacket.sampleRate)
        return max(decoded, lastEnd, statedDuration * scale / 1e9)
    }

    /// A track entry's number and whether it is Opus audio; `nil` for an entry with no number,
    /// or audio of another codec.
    private static func track(_ bytes: [UInt8], _ range: Range<Int>) -> (UInt64, Bool)? {
        var number: UInt64?
        var codec = ""
        var offset = range.lowerBound
        while offset < range.upperBound {
            guard let (id, size, content) = MatroskaElements.header(in: bytes, at: offset), let size,
                content + size <= range.upperBound
            else { return nil }
            let value = content..<(content + size)
            if id == ID.trackNumber { number = MatroskaElements.unsigned(bytes, value) }
            if id == ID.codecID { codec = String(decoding: bytes[value], as: UTF8.self) }
            offset = value.upperBound
        }
        guard let number else { return nil }
        if codec == "A_OPUS" { return (number, true) }
        return codec.hasPrefix("A_") ? nil : (number, false)
    }
}
