import ByokyCore
import ByokyTesting
import Testing

/// An audio file's length is read from its own headers as a decoder reads them, format by format;
/// what is not read (or does not hold together) has none, and its upload is held by its bytes.
struct AudioDurationTests {
    @Test func eachFormatsLengthIsRead() throws {
        #expect(AudioDuration.seconds(of: TestAudio.wav(seconds: 60)) == 60)
        #expect(AudioDuration.seconds(of: TestAudio.wav(seconds: 7, streamed: true)) == 7)
        let frames = 2_000
        let mp3 = try #require(AudioDuration.seconds(of: TestAudio.mp3(frames: frames)))
        #expect(abs(mp3 - Double(frames * 1_152) / 44_100) < 1e-9)
        // A variable bitrate: each frame's own header, so half the bytes are as many seconds.
        let variable = try #require(AudioDuration.seconds(of: TestAudio.mp3(frames: frames, variable: true)))
        #expect(abs(variable - mp3) < 1e-9)
    }

    /// A length a decoder does not go by is not read: a hostile app could state a second for an
    /// hour of audio. A WAV whose byte rate disagrees with its sample rate and block (a decoder
    /// plays by those), or whose samples are not PCM, and MP4's and FLAC's stated lengths.
    @Test func aStatedLengthADecoderIgnoresIsNotRead() {
        var fastByteRate = TestAudio.wav(seconds: 60)
        fastByteRate[28..<32] = [0x00, 0x00, 0x10, 0x00]  // 1,048,576 bytes a second
        var compressed = TestAudio.wav(seconds: 60)
        compressed[20] = 0x11  // IMA ADPCM
        for bytes in [fastByteRate, compressed, TestAudio.m4a(seconds: 90), TestAudio.flac(seconds: 30)] {
            #expect(AudioDuration.seconds(of: bytes) == nil)
        }
    }

    @Test func whatIsNotReadHasNoLength() {
        var truncated = TestAudio.mp3(frames: 100)
        truncated += [UInt8](repeating: 0x41, count: 5_000)  // not frames: not what it seemed
        var noRate = TestAudio.wav(seconds: 1)
        noRate[28..<32] = [0, 0, 0, 0]
        for bytes in [
            [], Array("OggS and more bytes than a header".utf8), [UInt8](repeating: 0xFF, count: 64), truncated,
            noRate, Array(TestAudio.m4a(seconds: 5).prefix(40)),
        ] {
            #expect(AudioDuration.seconds(of: bytes) == nil, "\(bytes.prefix(8))")
        }
    }
}
