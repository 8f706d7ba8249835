/// The length of an audio file, read from its own headers the way a decoder reads it: what a
/// transcription is billed by, and what a transcript with no usage is charged.
///
/// Read: WAV with PCM samples (its data's bytes over its sample rate times its block size, the
/// fields a decoder plays it by, which must agree with its byte rate), MP3 (its frames
/// walked one by one to the end, each a fixed number of samples, so a variable bitrate is
/// counted exactly; ID3 tags skipped), and Opus in Ogg or WebM (packet by packet: a browser's
/// recordings and phones' voice notes). Not read: formats whose headers state a length their
/// decoders do not go by (MP4's movie header, FLAC's sample count: a hostile app could state a
/// second for an hour of audio and be charged the second), and other codecs in Ogg or WebM
/// (Vorbis). Their uploads are held by their bytes, as before.
public enum AudioDuration {
    /// The seconds of audio in `bytes` (a whole file), or `nil` when its format is not read or
    /// its headers do not hold together.
    public static func seconds(of bytes: [UInt8]) -> Double? {
        let seconds = wav(bytes) ?? mp3(bytes) ?? ogg(bytes) ?? webm(bytes)
        guard let seconds, seconds.isFinite, seconds > 0 else { return nil }
        return seconds
    }

    // MARK: WAV

    private static func wav(_ bytes: [UInt8]) -> Double? {
        guard bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), bytes[8..<12].elementsEqual("WAVE".utf8)
        else { return nil }
        var byteRate: Int?
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = little32(bytes, offset + 4)
            let content = offset + 8
            if id == "fmt ", content + 16 <= bytes.count {
                // PCM (1) or floating point (3) samples: a frame of every channel's sample is the
                // block, played at the sample rate; the byte rate must say the same.
                let format = little16(bytes, content)
                let channels = little16(bytes, content + 2)
                let rate = little32(bytes, content + 4)
                let block = little16(bytes, content + 12)
                let bits = little16(bytes, content + 14)
                guard format == 1 || format == 3, channels > 0, rate > 0, bits > 0,
                    block == channels * ((bits + 7) / 8),
                    little32(bytes, content + 8) == rate * block
                else { return nil }
                byteRate = rate * block
            } else if id == "data" {
                guard let byteRate, byteRate > 0 else { return nil }
                // A streamed file's data size is unknown (0 or all ones): to the end of the file.
                let available = bytes.count - content
                let data = size == 0 || size == 0xFFFF_FFFF ? available : min(size, available)
                return Double(data) / Double(byteRate)
            }
            offset = content + size + (size & 1)
        }
        return nil
    }

    private static func little16(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }

    private static func little32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    // MARK: MP3

    private static let bitrates: [[Int]] = [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],  // MPEG-1 layer I
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],  // MPEG-1 layer II
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],  // MPEG-1 layer III
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],  // MPEG-2/2.5 layer I
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],  // MPEG-2/2.5 layers II, III
    ]

    private static let sampleRates = [[44_100, 48_000, 32_000], [22_050, 24_000, 16_000], [11_025, 12_000, 8_000]]

    /// One MPEG audio frame's header at `at`: its length in bytes and its samples' seconds.
    private static func frame(_ bytes: [UInt8], at: Int) -> (length: Int, seconds: Double)? {
        guard at + 4 <= bytes.count, bytes[at] == 0xFF, bytes[at + 1] & 0xE0 == 0xE0 else { return nil }
        let version = Int(bytes[at + 1] >> 3) & 3  // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        let layer = Int(bytes[at + 1] >> 1) & 3  // 3: I, 2: II, 1: III
        let bitrateIndex = Int(bytes[at + 2] >> 4)
        let rateIndex = Int(bytes[at + 2] >> 2) & 3
        let padding = Int(bytes[at + 2] >> 1) & 1
        guard version != 1, layer != 0, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let isMPEG1 = version == 3
        let table = isMPEG1 ? 3 - layer : (layer == 3 ? 3 : 4)
        let bitrate = bitrates[table][bitrateIndex] * 1000
        let rate = sampleRates[isMPEG1 ? 0 : (version == 2 ? 1 : 2)][rateIndex]
        let samples = layer == 3 ? 384 : (layer == 1 && !isMPEG1 ? 576 : 1152)
        let length =
            layer == 3
            ? (12 * bitrate / rate + padding) * 4
            : (samples / 8) * bitrate / rate + padding
        guard length >= 4 else { return nil }
        return (length, Double(samples) / Double(rate))
    }

    private static func mp3(_ bytes: [UInt8]) -> Double? {
        var offset = 0
        // An ID3v2 tag first: ten bytes of header, then its size in seven-bit bytes.
        if bytes.count >= 10, bytes.starts(with: Array("ID3".utf8)) {
            let size = (0..<4).reduce(0) { $0 << 7 | Int(bytes[6 + $1] & 0x7F) }
            offset = 10 + size + (bytes[5] & 0x10 != 0 ? 10 : 0)
        }
        guard frame(bytes, at: offset) != nil else { return nil }
        var seconds = 0.0
        // Frame by frame to the end (each at least four bytes, so the walk ends): what a
        // variable bitrate spends on each is in its own header.
        while let found = frame(bytes, at: offset) {
            seconds += found.seconds
            offset += found.length
        }
        // Most of the file must be frames (an ID3v1 tag of 128 bytes may follow them): else it
        // is not what it seemed.
        return offset >= bytes.count - 128 - 4 ? seconds : nil
    }
}
