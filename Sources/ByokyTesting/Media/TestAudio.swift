/// Audio files for tests of what a transcription holds of a budget: real headers, silent data.
public enum TestAudio {
    /// A WAV file of `seconds` of 16 kHz mono 16-bit PCM (32,000 bytes a second); `streamed`
    /// leaves its data size unknown (all ones), as a recorder writing a stream does.
    public static func wav(seconds: Int, streamed: Bool = false) -> [UInt8] {
        let byteRate = 32_000
        let data = seconds * byteRate
        var bytes = Array("RIFF".utf8) + little32(36 + data) + Array("WAVE".utf8)
        bytes +=
            Array("fmt ".utf8) + little32(16) + [1, 0, 1, 0] + little32(16_000) + little32(byteRate) + [2, 0, 16, 0]
        bytes += Array("data".utf8) + (streamed ? [0xFF, 0xFF, 0xFF, 0xFF] : little32(data))
        return bytes + [UInt8](repeating: 0, count: data)
    }

    /// An MP3 file of `frames` MPEG-1 layer III frames at 44.1 kHz (1,152 samples each), their
    /// bitrates alternating between 128 and 64 kbit/s when `variable`, after an ID3v2 tag.
    public static func mp3(frames: Int, variable: Bool = false) -> [UInt8] {
        var bytes = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0x01, 0x00]  // a 128-byte tag
        bytes += [UInt8](repeating: 0, count: 128)
        for index in 0..<frames {
            let slow = variable && index % 2 == 1
            // 144 × bitrate / 44,100 bytes: 417 at 128 kbit/s, 208 at 64.
            bytes += [0xFF, 0xFB, slow ? 0x50 : 0x90, 0x64] + [UInt8](repeating: 0, count: (slow ? 208 : 417) - 4)
        }
        return bytes
    }

    /// An M4A file whose movie header says `seconds` at a time scale of 44,100, its `moov` box
    /// before or after its media data.
    public static func m4a(seconds: Int, movieFirst: Bool = true) -> [UInt8] {
        let header = [0, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + big32(44_100) + big32(44_100 * seconds)
        let movie = TestImage.box("moov", TestImage.box("mvhd", header + [UInt8](repeating: 0, count: 80)))
        let media = TestImage.box("mdat", [UInt8](repeating: 0x11, count: 20_000))
        let type = TestImage.box("ftyp", Array("M4A ".utf8) + [0, 0, 0, 0] + Array("isomM4A ".utf8))
        return type + (movieFirst ? movie + media : media + movie)
    }

    /// A FLAC file's stream information for `seconds` at 44.1 kHz, then filler.
    public static func flac(seconds: Int) -> [UInt8] {
        let samples = UInt64(44_100 * seconds)
        var info: [UInt8] = [0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0]
        // 20 bits of sample rate, 3 of channels less one, 5 of bits less one, 36 of samples.
        let packed = UInt64(44_100) << 44 | UInt64(1) << 41 | UInt64(15) << 36 | samples
        info += (0..<8).map { UInt8(truncatingIfNeeded: packed >> (56 - 8 * UInt64($0))) }
        info += [UInt8](repeating: 0, count: 16)  // the audio's MD5
        return Array("fLaC".utf8) + [0x80, 0, 0, 34] + info + [UInt8](repeating: 0x22, count: 10_000)
    }

    /// A 20-millisecond Opus packet (CELT, full band, one frame: its first byte 0xFC), of
    /// `size` bytes.
    public static func opusPacket(size: Int = 40) -> [UInt8] {
        [0xFC] + [UInt8](repeating: 0x5A, count: max(size - 1, 0))
    }

    /// An Ogg Opus file of `seconds` of 20-millisecond packets (50 a second, `packetsPerPage`
    /// to a page), after its header and tags, with its pages' checksums; its last page's
    /// granule position says `statedSamples` (by default what the packets hold, with the
    /// encoder's 312 samples of pre-skip). `codec` names the header's magic (`OpusHead`;
    /// `\u{1}vorbis` makes a Vorbis stream, which is not read); `serial` numbers its stream.
    public static func ogg(
        seconds: Int,
        packetsPerPage: Int = 50,
        statedSamples: Int64? = nil,
        codec: String = "OpusHead",
        serial: UInt32 = 0x0B40_C0DE
    ) -> [UInt8] {
        var sequence: UInt32 = 0
        var file: [UInt8] = []
        func page(_ packets: [[UInt8]], flags: UInt8, granule: Int64) {
            var table: [UInt8] = []
            for packet in packets {
                table += [UInt8](repeating: 255, count: packet.count / 255) + [UInt8(packet.count % 255)]
            }
            var header = Array("OggS".utf8) + [0, flags]
            header += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: granule) >> (8 * UInt64($0))) }
            header += (0..<4).map { UInt8(truncatingIfNeeded: serial >> (8 * UInt32($0))) }
            header += (0..<4).map { UInt8(truncatingIfNeeded: sequence >> (8 * UInt32($0))) }
            header += [0, 0, 0, 0, UInt8(table.count)] + table
            var bytes = header + packets.flatMap { $0 }
            let checksum = oggChecksum(bytes)
            for index in 0..<4 { bytes[22 + index] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt32(index))) }
            file += bytes
            sequence += 1
        }
        let head = Array(codec.utf8) + [1, 1, 0x38, 0x01] + little32(48_000) + [0, 0, 0]
        page([head], flags: 0x02, granule: 0)
        page([Array("OpusTags".utf8) + little32(4) + Array("test".utf8) + little32(0)], flags: 0, granule: 0)
        let total = seconds * 50
        var written = 0
        while written < total {
            let count = min(packetsPerPage, total - written)
            written += count
            let last = written == total
            let granule = last ? statedSamples ?? Int64(312 + written * 960) : Int64(312 + written * 960)
            page([[UInt8]](repeating: opusPacket(), count: count), flags: last ? 0x04 : 0, granule: granule)
        }
        return file
    }

    /// Ogg's page checksum: CRC-32 of polynomial 0x04C11DB7, unreflected, starting at zero.
    private static func oggChecksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        return crc
    }

    /// How a WebM file's blocks hold their Opus packets: one each, or three laced together in
    /// Xiph's, EBML's or fixed sizes.
    public enum WebMLacing: Sendable, CaseIterable {
        case none, xiph, ebml, fixed
    }

    /// A WebM file of `seconds` of 20-millisecond Opus packets in one-second clusters, as a
    /// browser's `MediaRecorder` writes it when `live` (the segment's and clusters' sizes unknown,
    /// no duration), else with sizes and a duration of `statedSeconds` (by default the audio's).
    /// `codec` names the track's codec (`A_VORBIS` is not read).
    public static func webm(
        seconds: Int,
        live: Bool = true,
        lacing: WebMLacing = .none,
        statedSeconds: Double? = nil,
        codec: String = "A_OPUS"
    ) -> [UInt8] {
        let docType = element(0x4282, Array("webm".utf8))
        let header = element(0x1A45_DFA3, element(0x4286, [1]) + element(0x42F7, [1]) + docType)
        var info = element(0x2A_D7B1, [0x0F, 0x42, 0x40])  // a millisecond a timecode unit
        if !live {
            let duration = (statedSeconds ?? Double(seconds)) * 1_000
            info += element(
                0x4489,
                (0..<8).map { UInt8(truncatingIfNeeded: duration.bitPattern >> (56 - 8 * UInt64($0))) }
            )
        }
        let entry = element(0xD7, [1]) + element(0x83, [2]) + element(0x86, Array(codec.utf8))
        var body = element(0x1549_A966, info) + element(0x1654_AE6B, element(0xAE, entry))
        let perBlock = lacing == .none ? 1 : 5
        for second in 0..<seconds {
            var cluster = element(0xE7, big32(second * 1_000))  // the cluster's time, in milliseconds
            for block in 0..<(50 / perBlock) {
                let time = block * perBlock * 20
                var content: [UInt8] = [0x81, UInt8(time >> 8), UInt8(time & 0xFF)]
                let packets = [[UInt8]](repeating: opusPacket(size: 40), count: perBlock)
                switch lacing {
                case .none: content += [0x80] + packets[0]
                case .xiph: content += [0x82, UInt8(perBlock - 1)] + [UInt8](repeating: 40, count: perBlock - 1)
                case .ebml:
                    content += [0x86, UInt8(perBlock - 1), 0x40, 40] + [UInt8](repeating: 0xBF, count: perBlock - 2)
                case .fixed: content += [0x84, UInt8(perBlock - 1)]
                }
                if lacing != .none { content += packets.flatMap { $0 } }
                cluster += element(0xA3, content)
            }
            body +=
                live
                ? [0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + cluster
                : element(0x1F43_B675, cluster)
        }
        let segment =
            live
            ? [0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + body
            : element(0x1853_8067, body)
        return header + segment
    }

    /// A Matroska element: its ID's bytes, its size in eight bytes, its content.
    private static func element(_ id: UInt32, _ content: [UInt8]) -> [UInt8] {
        let idBytes = Array(big32(Int(id)).drop { $0 == 0 })
        let size = UInt64(content.count) | UInt64(1) << 56
        return idBytes + (0..<8).map { UInt8(truncatingIfNeeded: size >> (56 - 8 * UInt64($0))) } + content
    }

    private static func little32(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) }
    }

    private static func big32(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8((value >> (24 - 8 * $0)) & 0xFF) }
    }
}
