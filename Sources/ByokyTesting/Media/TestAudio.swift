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

    private static func little32(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) }
    }

    private static func big32(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8((value >> (24 - 8 * $0)) & 0xFF) }
    }
}
