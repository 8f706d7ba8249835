/// The length of an audio file, read from its own headers: what a transcription is billed by.
///
/// Read: WAV (its data's bytes over its byte rate), MP3 (its frames walked one by one, each a
/// fixed number of samples, so a variable bitrate is counted exactly; ID3 tags skipped), MP4
/// and M4A (the movie header's duration over its time scale, wherever the `moov` box sits) and
/// FLAC (its stream information's samples over its sample rate). Other formats (Ogg, WebM) are
/// not read: their uploads are held by their bytes, as before.
public enum AudioDuration {
    /// The seconds of audio in `bytes` (a whole file), or `nil` when its format is not read or
    /// its headers do not hold together.
    public static func seconds(of bytes: [UInt8]) -> Double? {
        let seconds = wav(bytes) ?? mp4(bytes) ?? flac(bytes) ?? mp3(bytes)
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
            if id == "fmt ", content + 12 <= bytes.count {
                byteRate = little32(bytes, content + 8)
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

    private static func little32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    // MARK: MP4, M4A

    private static func mp4(_ bytes: [UInt8]) -> Double? {
        guard let first = ISOBoxes.box(in: bytes, at: 0), first.type == "ftyp",
            let movie = ISOBoxes.child("moov", of: 0..<bytes.count, in: bytes),
            let header = ISOBoxes.child("mvhd", of: movie, in: bytes), header.count >= 20
        else { return nil }
        let start = header.lowerBound
        // Version 1 has 64-bit times and duration; version 0, 32-bit.
        if bytes[start] == 1 {
            guard header.count >= 32 else { return nil }
            let scale = ISOBoxes.big32(bytes, start + 20)
            let duration = UInt64(ISOBoxes.big32(bytes, start + 24)) << 32 | UInt64(ISOBoxes.big32(bytes, start + 28))
            return scale > 0 ? Double(duration) / Double(scale) : nil
        }
        let scale = ISOBoxes.big32(bytes, start + 12)
        let duration = ISOBoxes.big32(bytes, start + 16)
        return scale > 0 ? Double(duration) / Double(scale) : nil
    }

    // MARK: FLAC

    private static func flac(_ bytes: [UInt8]) -> Double? {
        // `fLaC`, then the first metadata block's header (its type 0: stream information).
        guard bytes.count >= 8 + 18, bytes.starts(with: Array("fLaC".utf8)), bytes[4] & 0x7F == 0 else { return nil }
        let info = 8 + 10
        let rate = Int(bytes[info]) << 12 | Int(bytes[info + 1]) << 4 | Int(bytes[info + 2]) >> 4
        var samples = UInt64(bytes[info + 3] & 0x0F)
        for index in 4..<8 { samples = samples << 8 | UInt64(bytes[info + index]) }
        guard rate > 0, samples > 0 else { return nil }
        return Double(samples) / Double(rate)
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
