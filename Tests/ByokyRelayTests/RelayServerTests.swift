import AsyncHTTPClient
import ByokyCore
import ByokyTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyRelay

/// The relay's rooms over real WebSockets on loopback (reference Part 2, and the v2 fixes).
@Suite(.timeLimit(.minutes(2)))
struct RelayServerTests {
    @Test func pairingRoomJoinsAnAppAndAWallet() async throws {
        try await RelayFixture.with { relay in
            let app = try await relay.connect()
            let first = try await app.auth(room: "pair-room", token: "t0ken", role: "recipient")
            #expect(first["success"] == .bool(true))
            #expect(first["peerOnline"] == .bool(false))
            let wallet = try await relay.connect()
            let joined = try await wallet.auth(room: "pair-room", token: "t0ken", role: "sender")
            #expect(joined["success"] == .bool(true))
            #expect(joined["peerOnline"] == .bool(true))
            #expect(try await app.next("relay:peer:status")["online"] == .bool(true))
            wallet.send(
                #"{"type":"relay:pair:hello","providers":{"anthropic":{"available":true,"authMethod":"api_key"}}}"#
            )
            #expect(try await app.next("relay:pair:hello")["providers"]?["anthropic"] != nil)
            app.send(#"{"type":"relay:pair:ack"}"#)
            _ = try await wallet.next("relay:pair:ack")
            // Frames before auth, and unknown frames, are dropped.
            let stranger = try await relay.connect()
            stranger.send(
                #"{"type":"relay:request","requestId":"x","providerId":"openai","url":"u","method":"GET","headers":{}}"#
            )
            #expect(await !wallet.receives("relay:request"))
            wallet.close()
            #expect(try await app.next("relay:peer:status")["online"] == .bool(false))
        }
    }

    @Test func answersReachOnlyTheRecipientThatAsked() async throws {
        try await RelayFixture.with { relay in
            let wallet = try await relay.connect()
            _ = try await wallet.auth(room: "gift-1", token: "secret", role: "sender")
            let alice = try await relay.connect()
            let bob = try await relay.connect()
            _ = try await alice.auth(room: "gift-1", token: "secret", role: "recipient")
            _ = try await bob.auth(room: "gift-1", token: "secret", role: "recipient")
            for peer in [alice, bob] {
                peer.send(
                    #"{"type":"relay:request","requestId":"1","providerId":"anthropic","url":"https://api.anthropic.com/v1/messages","method":"POST","headers":{}}"#
                )
            }
            let first = try await wallet.next("relay:request")
            let second = try await wallet.next("relay:request")
            let tags = [first, second].compactMap { $0["requestId"]?.stringValue }
            #expect(tags.count == 2 && Set(tags).count == 2)
            #expect(tags.allSatisfy { $0.hasPrefix("r:") && $0.hasSuffix(":1") })
            // Answer only the first one.
            let tag = tags[0]
            wallet.send(#"{"type":"relay:response:meta","requestId":"\#(tag)","status":200,"headers":{}}"#)
            wallet.send(#"{"type":"relay:response:chunk","requestId":"\#(tag)","chunk":"hello"}"#)
            wallet.send(#"{"type":"relay:response:done","requestId":"\#(tag)"}"#)
            var answered: TestPeer?
            for _ in 0..<500 where answered == nil {
                if await alice.receives("relay:response:done", within: .milliseconds(5)) { answered = alice }
                if await bob.receives("relay:response:done", within: .milliseconds(5)) { answered = bob }
            }
            let asker = try #require(answered)
            let other = asker === alice ? bob : alice
            #expect(try await asker.next("relay:response:chunk")["requestId"] == .string("1"))
            #expect(await !other.receives("relay:response:chunk"))
            // A forged tag for a recipient that does not exist goes nowhere; a cancel is tagged too.
            wallet.send(#"{"type":"relay:response:done","requestId":"r:ffff:1"}"#)
            asker.send(#"{"type":"relay:request:cancel","requestId":"1"}"#)
            #expect(try await wallet.next("relay:request:cancel")["requestId"]?.stringValue?.hasPrefix("r:") == true)
            // Usage reaches every recipient.
            wallet.send(#"{"type":"relay:usage","giftId":"gift-1","usedTokens":120}"#)
            #expect(try await alice.next("relay:usage")["usedTokens"] == .number(120))
            #expect(try await bob.next("relay:usage")["usedTokens"] == .number(120))
        }
    }

    @Test func sendersFailOverByPriority() async throws {
        try await RelayFixture.with { relay in
            let vault = try await relay.connect()
            _ = try await vault.auth(room: "gift-2", token: "k", role: "sender", priority: 0)
            let device = try await relay.connect()
            _ = try await device.auth(room: "gift-2", token: "k", role: "sender", priority: 1)
            let app = try await relay.connect()
            _ = try await app.auth(room: "gift-2", token: "k", role: "recipient")
            let request =
                #"{"type":"relay:request","requestId":"a","providerId":"openai","url":"u","method":"POST","headers":{}}"#
            app.send(request)
            _ = try await device.next("relay:request")
            #expect(await !vault.receives("relay:request"))
            device.send(#"{"type":"relay:usage","giftId":"gift-2","usedTokens":5}"#)
            #expect(try await vault.next("relay:usage")["usedTokens"] == .number(5))
            device.close()
            // Until the relay has let the device go: a request sent before would still go to it,
            // however long a busy machine takes over the close.
            let deadline = ContinuousClock.now + TestPeer.patience
            while relay.relay.hub.metrics.openConnections > 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(relay.relay.hub.metrics.openConnections == 2, "the relay still held the closed device")
            app.send(request)
            _ = try await vault.next("relay:request")
            #expect(
                await !app.receives("relay:peer:status", within: .milliseconds(200))
                    || app.frames_.contains {
                        $0["type"] == .string("relay:peer:status") && $0["online"] == .bool(true)
                    }
            )
        }
    }

    @Test func authIsCheckedCappedAndRateLimited() async throws {
        var limits = RelayLimits()
        limits.sendersPerRoom = 2
        limits.recipientsPerRoom = 1
        limits.authAttempts = 3
        try await RelayFixture.with(limits: limits) { relay in
            let owner = try await relay.connect()
            _ = try await owner.auth(room: "room-a", token: "right", role: "sender")
            let intruder = try await relay.connect()
            #expect(
                try await intruder.auth(room: "room-a", token: "wrong", role: "sender")["error"]
                    == .string("auth token mismatch")
            )
            intruder.send(#"{"type":"relay:auth","roomId":7}"#)
            #expect(try await intruder.next("relay:auth:result")["error"] == .string("invalid auth payload"))
            let second = try await relay.connect()
            #expect(try await second.auth(room: "room-a", token: "right", role: "sender")["success"] == .bool(true))
            #expect(
                try await intruder.auth(room: "room-a", token: "right", role: "sender")["error"]
                    == .string("too many auth attempts")
            )
            let third = try await relay.connect()
            let capped = try await third.auth(room: "room-b", token: "x", role: "recipient")
            #expect(capped["success"] == .bool(true))
            let fourth = try await relay.connect()
            #expect(
                try await fourth.auth(room: "room-b", token: "x", role: "recipient")["error"]
                    == .string("recipient cap reached")
            )
            let fifth = try await relay.connect()
            _ = try await fifth.auth(room: "room-c", token: "x", role: "sender")
            let sixth = try await relay.connect()
            _ = try await sixth.auth(room: "room-c", token: "x", role: "sender")
            let seventh = try await relay.connect()
            #expect(
                try await seventh.auth(room: "room-c", token: "x", role: "sender")["error"]
                    == .string("sender cap reached")
            )
        }
    }

    @Test func versionTwoRoomsOnlyLetTheKeyHolderSend() async throws {
        try await RelayFixture.with { relay in
            let senderKey = "giver-secret-" + SecureRandom.hexToken(byteCount: 16)
            let room = RelayHub.roomID(senderKey: senderKey)
            #expect(room.hasPrefix("v2_"))
            // A link holder cannot create or lock the room before the giver is there.
            let early = try await relay.connect()
            #expect(try await early.auth(room: room, token: "link-token", role: "recipient")["success"] == .bool(false))
            #expect(
                try await early.auth(room: room, token: "guess", role: "sender")["error"]
                    == .string("sender key does not match the room")
            )
            let giver = try await relay.connect()
            #expect(
                try await giver.auth(room: room, token: "link-token", role: "sender", senderKey: senderKey)["success"]
                    == .bool(true)
            )
            let holder = try await relay.connect()
            #expect(try await holder.auth(room: room, token: "link-token", role: "recipient")["success"] == .bool(true))
            // Knowing the link's token is not enough to act as the sender.
            let impostor = try await relay.connect()
            #expect(try await impostor.auth(room: room, token: "link-token", role: "sender")["success"] == .bool(false))
        }
    }

    @Test func healthMetricsAndIdleSweep() async throws {
        try await RelayFixture.with { relay in
            let peer = try await relay.connect()
            _ = try await peer.auth(room: "idle", token: "t", role: "recipient")
            let health = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(relay.port)/health"),
                timeout: .seconds(30)
            )
            #expect(health.status == .ok)
            #expect(String(buffer: try await health.body.collect(upTo: 4096)).contains(#""rooms":1"#))
            let metrics = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(relay.port)/metrics"),
                timeout: .seconds(30)
            )
            let text = String(buffer: try await metrics.body.collect(upTo: 65536))
            #expect(text.contains("byoky_relay_rooms 1"))
            #expect(text.contains("byoky_relay_peers{role=\"recipient\"} 1"))
            #expect(text.contains("byoky_relay_frames_total"))
            relay.relay.hub.sweep(now: .now + .seconds(3600))
            for _ in 0..<200 where !peer.closed { try await Task.sleep(for: .milliseconds(10)) }
            #expect(peer.closed)
            #expect(relay.relay.hub.roomCount == 0)
        }
    }
}

extension RelayServerTests {
    @Test func anOversizedFrameEndsTheConnection() async throws {
        var limits = RelayLimits()
        limits.maximumFrameSize = 4096
        try await RelayFixture.with(limits: limits) { relay in
            let peer = try await relay.connect()
            _ = try await peer.auth(room: "big", token: "t", role: "recipient")
            peer.send(#"{"type":"relay:ping","ts":1,"pad":""# + String(repeating: "x", count: 8192) + #""}"#)
            let deadline = ContinuousClock.now + TestPeer.patience
            while !peer.closed || relay.relay.hub.roomCount > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(peer.closed)
            #expect(relay.relay.hub.roomCount == 0)
        }
    }
}

extension RelayServerTests {
    /// A connection that is not a WebSocket and sends nothing (or half a request head) is closed
    /// after the client idle timeout; a WebSocket that stays quiet longer is not (pings keep it).
    @Test(arguments: ["", "GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n"])
    func aSilentConnectionIsClosedAndAQuietWebSocketIsNot(opening: String) async throws {
        var limits = RelayLimits()
        limits.clientIdleTimeout = .seconds(1)
        try await RelayFixture.with(limits: limits) { relay in
            let waited = try await StalledConnection.closingTime(
                port: relay.port,
                opening: opening,
                patience: .seconds(10)
            )
            #expect(waited != nil, "the silent connection was still open after 10 s")
            #expect(waited.map { $0 >= .milliseconds(500) } == true, "closed before the timeout")
            let peer = try await relay.connectBeforeTheIdleTimeout()
            try await Task.sleep(for: .milliseconds(2500))
            #expect(!peer.closed)
            #expect(try await peer.auth(room: "quiet", token: "t", role: "recipient")["success"] == .bool(true))
        }
    }
}

extension RelayServerTests {
    enum UnreadLimit: String, CaseIterable {
        /// More unread than ``RelayLimits/maximumUnreadOutput`` when the next frame comes.
        case unreadOutput
        /// Back-pressured for the client idle timeout with nothing sent to the client.
        case writeStall
    }

    /// A recipient that stops reading what a sender sends its room is closed, rather than the
    /// relay buffering for it without end: past the unread limit, or once its connection has
    /// been back-pressured for the client idle timeout. Before, the relay kept every frame until
    /// pings ended the connection a minute later, memory growing as fast as the sender sent.
    @Test(arguments: UnreadLimit.allCases)
    func aRecipientThatStopsReadingIsClosed(_ limit: UnreadLimit) async throws {
        var limits = RelayLimits()
        switch limit {
        case .unreadOutput: limits.maximumUnreadOutput = 1024 * 1024
        case .writeStall: limits.clientIdleTimeout = .seconds(1)
        }
        let frame = #"{"type":"relay:usage","pad":""# + String(repeating: "x", count: 60 * 1024) + #""}"#
        let frameCount = 300
        try await RelayFixture.with(limits: limits) { relay in
            let auth = #"{"type":"relay:auth","roomId":"unread","authToken":"t","role":"recipient"}"#
            let late = try await StalledConnection.readingLate(
                port: relay.port,
                opening: Array(Self.webSocketUpgrade.utf8) + Self.maskedTextFrame(auth),
                meanwhile: {
                    try await Task.sleep(for: .milliseconds(500))
                    let sender = try await relay.connectBeforeTheIdleTimeout()
                    #expect(try await sender.auth(room: "unread", token: "t", role: "sender")["success"] == .bool(true))
                    for _ in 0..<frameCount { sender.send(frame) }
                    // Until the relay lets the recipient go (the sender's frames take seconds to
                    // fill the buffers on a busy machine), at most 15 seconds.
                    for _ in 0..<150 where relay.relay.hub.metrics.openConnections > 1 {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                },
                patience: .seconds(20)
            )
            let read = try #require(late, "the connection of a recipient that stopped reading was still open")
            #expect(
                read.byteCount < frameCount * frame.utf8.count / 2,
                "the recipient got every frame: it was not held"
            )
        }
    }

    /// A raw WebSocket upgrade request for the relay's `/ws`.
    static let webSocketUpgrade =
        "GET /ws HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
        + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n"

    /// A client's text frame: masked, as every frame from a client must be.
    static func maskedTextFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask: [UInt8] = [0x5A, 0x17, 0xC3, 0x88]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }
}

extension RelayServerTests {
    /// The relay holds at most its maximum of connections: one more is taken when one closes.
    @Test func aRelayAtItsMaximumTakesTheNextConnectionWhenOneCloses() async throws {
        var limits = RelayLimits()
        limits.maximumConnections = 3
        try await RelayFixture.with(limits: limits) { relay in
            let probe = try await ConnectionLimitProbe.probe(
                port: relay.port,
                maximum: 3,
                request: "GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n",
                // The relay closes a plain request's connection: the one that fills it upgrades.
                fillingRequest: Self.webSocketUpgrade
            )
            #expect(probe.answeredBelowMaximum)
            let waited = try #require(probe.waitedPastMaximum, "the connection past the maximum was never taken")
            #expect(waited >= .milliseconds(900), "a connection past the maximum was taken at once")
        }
    }
}

extension RelayServerTests {
    /// A request that came while a long task held the relay's event loop up is answered when
    /// the loop comes back, not taken for silence (NIO's idle handler, before, closed the
    /// connection with the request in its socket); a client silent through the hold is closed.
    @Test(arguments: [true, false])
    func aRequestThatCameWhileTheLoopWasHeldIsAnswered(sendsARequest: Bool) async throws {
        var limits = RelayLimits()
        limits.clientIdleTimeout = .seconds(1)
        let relay = RelayServer(limits: limits)
        let outcome = try await HeldLoopProbe.run(
            timeout: .seconds(1),
            request: sendsARequest ? "GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n" : nil,
            patience: .seconds(10),
            until: { $0.contains(#""status":"ok""#) },
            serving: { relay.configure($0) }
        )
        if sendsARequest {
            #expect(outcome.text.hasPrefix("HTTP/1.1 200"), "the connection was closed with the request in its socket")
        } else {
            #expect(outcome.closed)
            #expect(outcome.text.isEmpty)
        }
    }
}
