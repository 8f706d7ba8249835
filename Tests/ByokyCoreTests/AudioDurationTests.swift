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

    /// Opus in Ogg and WebM is read packet by packet, whatever its pages, clusters or lacing, and
    /// a browser's live recording (sizes unknown, no duration) as well as a file with sizes.
    @Test func opusIsReadPacketByPacket() throws {
        for perPage in [1, 7, 50, 255] {
            let ogg = try #require(AudioDuration.seconds(of: TestAudio.ogg(seconds: 12, packetsPerPage: perPage)))
            // The granule counts the encoder's pre-skip too (312 samples): the larger reading.
            #expect(abs(ogg - (12 + 312 / 48_000.0)) < 1e-9, "\(perPage): \(ogg)")
        }
        for lacing in TestAudio.WebMLacing.allCases {
            for live in [true, false] {
                let seconds = AudioDuration.seconds(of: TestAudio.webm(seconds: 9, live: live, lacing: lacing))
                #expect(seconds.map { abs($0 - 9) < 1e-9 } == true, "\(lacing) \(live): \(String(describing: seconds))")
            }
        }
    }

    /// Files made by real encoders (a browser's `MediaRecorder`, libopus through ffmpeg) read
    /// at least what ffmpeg decodes them to, and at most a packet (up to 120 ms) and the
    /// encoder's pre-skip more: a decoder trims those, by lengths the file states, which the
    /// reader does not take off.
    @Test(arguments: [
        ("chromium-mediarecorder.webm", 2.459), ("libopus-20ms.ogg", 3.5), ("libopus-60ms.webm", 3.5),
        ("libopus-stereo-10ms.opus", 2.2),
    ])
    func realRecordingsReadWhatTheyDecodeTo(file: String, decoded: Double) throws {
        let bytes = [UInt8](try Fixtures.data("audio/\(file)"))
        let seconds = try #require(AudioDuration.seconds(of: bytes), "\(file)")
        #expect(seconds >= decoded - 0.001 && seconds <= decoded + 0.13, "\(file): \(seconds)")
    }

    /// A stated length counts only when it is longer than the packets (a provider may bill by
    /// it): a granule or a duration of a second for twelve seconds of packets reads twelve, and
    /// one of an hour reads the hour (an upload is never held above its bytes' worth).
    @Test func anOpusFilesStatedLengthOnlyAdds() throws {
        let shortOgg = try #require(AudioDuration.seconds(of: TestAudio.ogg(seconds: 12, statedSamples: 48_000)))
        #expect(abs(shortOgg - 12) < 1e-9)
        let longOgg = try #require(AudioDuration.seconds(of: TestAudio.ogg(seconds: 12, statedSamples: 3_600 * 48_000)))
        #expect(longOgg == 3_600)
        let shortWebM = try #require(
            AudioDuration.seconds(of: TestAudio.webm(seconds: 12, live: false, statedSeconds: 1))
        )
        #expect(abs(shortWebM - 12) < 1e-9)
        let longWebM = try #require(
            AudioDuration.seconds(of: TestAudio.webm(seconds: 12, live: false, statedSeconds: 3_600))
        )
        #expect(longWebM == 3_600)
    }

    /// What a packet's first byte says it decodes to: each mode's frame sizes, two frames, any
    /// number of frames up to 120 ms; more, or none, is a packet decoders refuse.
    @Test func opusPacketsDecodeToTheirTableOfContents() {
        #expect(OpusPacket.samples(toc: 0x00, count: nil) == 480)  // SILK 10 ms
        #expect(OpusPacket.samples(toc: 0x18, count: nil) == 2_880)  // SILK 60 ms
        #expect(OpusPacket.samples(toc: 0x68, count: nil) == 960)  // hybrid 20 ms
        #expect(OpusPacket.samples(toc: 0x80, count: nil) == 120)  // CELT 2.5 ms
        #expect(OpusPacket.samples(toc: 0xFD, count: nil) == 1_920)  // two 20-ms frames
        #expect(OpusPacket.samples(toc: 0xFE, count: nil) == 1_920)
        #expect(OpusPacket.samples(toc: 0xFF, count: 6) == 5_760)  // six 20-ms frames: 120 ms
        #expect(OpusPacket.samples(toc: 0xFF, count: 7) == nil)  // 140 ms
        #expect(OpusPacket.samples(toc: 0xFF, count: 0) == nil)
        #expect(OpusPacket.samples(toc: 0xFF, count: nil) == nil)
        #expect(OpusPacket.samples(toc: 0x1B, count: 2) == 5_760)  // two 60-ms SILK frames
        #expect(OpusPacket.samples(head: [UInt8]()) == 5_760)  // an empty packet: the most
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

    @Test func whatIsNotReadHasNoLength() throws {
        let vorbis = TestAudio.ogg(seconds: 3, codec: "\u{1}vorbis")
        let vorbisWebM = TestAudio.webm(seconds: 3, codec: "A_VORBIS")
        let ogg = TestAudio.ogg(seconds: 3)
        var tooLong = TestAudio.webm(seconds: 3)
        // A packet of seven 20-ms frames (140 ms): decoders refuse it.
        let packet = try #require(tooLong.firstRange(of: TestAudio.opusPacket(size: 40)))
        tooLong[packet.lowerBound] = 0xFF
        tooLong[packet.lowerBound + 1] = 7
        // A file of many streams (twenty one-second ones, one after another): not a recording,
        // nor kept stream by stream; two are read.
        let streams = (0..<20).map { TestAudio.ogg(seconds: 1, serial: UInt32($0)) }
        let interleaved = streams.flatMap { $0 }
        #expect(AudioDuration.seconds(of: streams[0] + streams[1]) == 2)
        for bytes in [
            vorbis, vorbisWebM, Array(ogg.dropLast(10)), tooLong, Array(TestAudio.webm(seconds: 2).prefix(60)),
            interleaved,
        ] {
            #expect(AudioDuration.seconds(of: bytes) == nil, "\(bytes.prefix(8))")
        }
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
