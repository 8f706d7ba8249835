import ByokyCore
import ByokyTesting
import NIOCore
import Testing

struct SSEDecoderTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let stream: String
        let events: [ServerSentEvent]
        var testDescription: String { name }
    }

    static let samples: [Sample] = [
        Sample(
            name: "LF",
            stream: "event: message_start\ndata: {\"a\":1}\n\ndata: second\n\n",
            events: [ServerSentEvent(type: "message_start", data: #"{"a":1}"#), ServerSentEvent(data: "second")]
        ),
        Sample(
            name: "CRLF",
            stream: "event: ping\r\ndata: x\r\n\r\ndata: y\r\n\r\n",
            events: [ServerSentEvent(type: "ping", data: "x"), ServerSentEvent(data: "y")]
        ),
        Sample(
            name: "CR",
            stream: "data: a\rdata: b\r\rdata: c\r\r",
            events: [ServerSentEvent(data: "a\nb"), ServerSentEvent(data: "c")]
        ),
        Sample(
            name: "mixed line ends and multi-line data",
            stream: "data: line1\r\ndata: line2\rdata:line3\n\n",
            events: [ServerSentEvent(data: "line1\nline2\nline3")]
        ),
        Sample(
            name: "comments, unknown fields, BOM",
            stream: "\u{FEFF}: keep-alive\nfoo: bar\ndata: x\n: another\n\n:\n\n",
            events: [ServerSentEvent(data: "x")]
        ),
        Sample(
            name: "id and retry",
            stream: "id: 7\nretry: 1500\ndata: a\n\nretry: soon\ndata: b\n\n",
            events: [ServerSentEvent(data: "a", id: "7", retry: 1500), ServerSentEvent(data: "b")]
        ),
        Sample(
            name: "empty data and field without colon",
            stream: "data\n\ndata:\ndata:\n\nevent: only-type\n\n",
            events: [ServerSentEvent(data: ""), ServerSentEvent(data: "\n")]
        ),
        Sample(
            name: "only one leading space is removed",
            stream: "data:  two spaces\nevent:x\n\n",
            events: [ServerSentEvent(type: "x", data: " two spaces")]
        ),
        Sample(
            name: "multi-byte UTF-8",
            stream: "data: héllo 日本 🔑\n\ndata: [DONE]\n\n",
            events: [ServerSentEvent(data: "héllo 日本 🔑"), ServerSentEvent(data: "[DONE]")]
        ),
    ]

    @Test(arguments: samples)
    func decodesTheSameEventsAtEverySplitPoint(sample: Sample) throws {
        let bytes = Array(sample.stream.utf8)
        for chunks in ChunkSplits.everySplitPoint(bytes) {
            #expect(try decode(chunks) == sample.events, "split at \(chunks[0].count)")
        }
        for size in 1...8 {
            #expect(try decode(ChunkSplits.fixedSize(bytes, size: size)) == sample.events, "chunk size \(size)")
        }
    }

    @Test func decodesALargeStreamIdenticallyUnderRandomChunking() throws {
        var writer = SSEWriter()
        var expected: [ServerSentEvent] = []
        for index in 0..<400 {
            let event = ServerSentEvent(
                type: index % 3 == 0 ? "content_block_delta" : nil,
                data: #"{"index":\#(index),"text":"ünï \#(index) 🔑\nsecond line"}"#
            )
            writer.write(event)
            expected.append(event)
        }
        let bytes = writer.takeBytes()
        for seed in 0..<12 as Range<UInt64> {
            #expect(try decode(ChunkSplits.random(bytes, seed: seed, maximumSize: 97)) == expected)
        }
    }

    @Test func crAtTheEndOfAChunkAndLFAtTheStartOfTheNextAreOneLineEnd() throws {
        #expect(
            try decode([Array("data: a\r".utf8), Array("\n\r".utf8), Array("\n".utf8)]) == [ServerSentEvent(data: "a")]
        )
    }

    @Test func doneMarkerAndTextAccessors() {
        #expect(ServerSentEvent(data: "[DONE]").isDoneMarker)
        #expect(!ServerSentEvent(data: "[DONE] ").isDoneMarker)
        #expect(ServerSentEvent(data: [0x68, 0x69]).dataString == "hi")
    }

    @Test func finishReportsAStreamCutInsideAnEvent() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(Array("data: whole\n\ndata: cut".utf8)).count == 1)
        let truncated = decoder.finish()
        #expect(truncated)
        var clean = SSEDecoder()
        _ = try clean.feed(Array("data: whole\n\n: bye\n".utf8))
        let cleanEnd = clean.finish()
        #expect(!cleanEnd)
        var pendingField = SSEDecoder()
        _ = try pendingField.feed(Array("data: whole\n".utf8))
        let pending = pendingField.finish()
        #expect(pending)
    }

    @Test func refusesEventsOverTheSizeLimit() throws {
        var decoder = SSEDecoder(maximumEventSize: 64)
        #expect(throws: SSEDecoder.Error.eventTooLarge(limit: 64)) {
            _ = try decoder.feed(Array(("data: " + String(repeating: "x", count: 100)).utf8))
        }
        var multiLine = SSEDecoder(maximumEventSize: 64)
        #expect(throws: SSEDecoder.Error.eventTooLarge(limit: 64)) {
            for _ in 0..<10 { _ = try multiLine.feed(Array("data: 0123456789\n".utf8)) }
        }
    }

    @Test func tracksTheLastEventID() throws {
        var decoder = SSEDecoder()
        _ = try decoder.feed(Array("id: 1\ndata: a\n\ndata: b\n\nid: 2\u{0}x\ndata: c\n\n".utf8))
        #expect(decoder.lastEventID == "1")
    }

    @Test func nioDecoderDecodesAnAsyncSequenceOfBuffers() async throws {
        let chunks = ["data: one\n", "\ndata: t", "wo\n\nevent: e\ndata: three\n\n"].map { ByteBuffer(string: $0) }
        var events: [ServerSentEvent] = []
        for try await event in AsyncChunks(chunks).decode(using: ServerSentEventByteDecoder()) {
            events.append(event)
        }
        #expect(
            events == [
                ServerSentEvent(data: "one"), ServerSentEvent(data: "two"), ServerSentEvent(type: "e", data: "three"),
            ]
        )
    }

    private func decode(_ chunks: [[UInt8]]) throws -> [ServerSentEvent] {
        var decoder = SSEDecoder()
        var events: [ServerSentEvent] = []
        for chunk in chunks { events += try decoder.feed(chunk) }
        decoder.finish()
        return events
    }
}

/// A finite async sequence of buffers.
struct AsyncChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [ByteBuffer]

    init(_ chunks: [ByteBuffer]) { self.chunks = chunks }

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: [ByteBuffer]
        mutating func next() async -> ByteBuffer? { remaining.isEmpty ? nil : remaining.removeFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks) }
}

struct SSEWriterTests {
    @Test func writesFieldsAndSplitsMultiLineData() {
        var writer = SSEWriter()
        writer.writeEvent(type: "delta", data: "a\nb\r\nc\rd", id: "9", retry: 100)
        writer.writeComment("ping")
        writer.writeComment()
        #expect(
            String(decoding: writer.takeBytes(), as: UTF8.self)
                == "event: delta\nid: 9\nretry: 100\ndata: a\ndata: b\ndata: c\ndata: d\n\n: ping\n:\n"
        )
        #expect(writer.takeBytes().isEmpty)
    }

    @Test func lineBreaksCannotInjectFieldsThroughTypeOrID() throws {
        var writer = SSEWriter()
        writer.writeEvent(type: "x\ndata: injected", data: "real", id: "1\r\nevent: evil")
        var decoder = SSEDecoder()
        let events = try decoder.feed(writer.takeBytes())
        #expect(events == [ServerSentEvent(type: "x data: injected", data: "real", id: "1  event: evil")])
    }

    @Test func writerOutputDecodesToTheSameEvents() throws {
        let events = [
            ServerSentEvent(type: "a", data: ""), ServerSentEvent(data: "\n\n"),
            ServerSentEvent(data: "x\r\ny", id: "i"),
        ]
        var writer = SSEWriter()
        for event in events { writer.write(event) }
        var decoder = SSEDecoder()
        #expect(
            try decoder.feed(writer.takeBytes())
                == [events[0], events[1], ServerSentEvent(data: "x\ny", id: "i")]
        )
    }
}
