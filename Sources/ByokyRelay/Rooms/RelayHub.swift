import ByokyCore
import Crypto
import Synchronization

/// The relay's rooms. A room joins the senders (wallets, in priority order) and the recipients
/// (apps, gift receivers) that presented its token, and routes frames between them:
///
/// - A recipient's `relay:request` (and `relay:request:cancel`) goes to the active sender — the
///   first live one by priority — with its `requestId` tagged `r:<peer>:<id>`, so the answer finds
///   its way back to that recipient alone (with the original id restored).
/// - `relay:usage` from a sender reaches every recipient and every other sender; `relay:pair:hello`
///   and vault offers reach every recipient; `relay:pair:ack` reaches the active sender.
/// - Peers hear `relay:peer:status` when the other side comes or goes.
///
/// Version 2 rooms (ids starting `v2_`) fix the original's flaw that anyone holding a gift link
/// could join as the sender: the room id is derived from a sender key (``roomID(senderKey:)``), a
/// sender must present that key, and a recipient can neither create such a room nor fix its token.
public final class RelayHub: Sendable {
    struct Room {
        var token: [UInt8]
        var senders: [(peer: RelayPeer, priority: Int)] = []
        var recipients: [String: RelayPeer] = [:]
        var lastActivity: ContinuousClock.Instant
        var hasSenderProof = false
    }

    struct Membership {
        let roomID: String
        let role: RelayRole
    }

    private struct State {
        var rooms: [String: Room] = [:]
        var members: [String: Membership] = [:]
        var attempts: [String: [ContinuousClock.Instant]] = [:]
    }

    public let limits: RelayLimits
    let metrics = RelayMetrics()
    private let state = Mutex(State())

    let frameTrace: (@Sendable (String) -> Void)?

    public init(limits: RelayLimits = .init(), frameTrace: (@Sendable (String) -> Void)? = nil) {
        self.limits = limits
        self.frameTrace = frameTrace
    }

    /// The version 2 room id for a sender key: `v2_` and the base64url SHA-256 of the key.
    public static func roomID(senderKey: String) -> String {
        RelaySealing.roomID(senderKey: senderKey)
    }

    /// Rooms open now.
    public var roomCount: Int { state.withLock { $0.rooms.count } }

    // MARK: Frames

    /// Handles one text frame from `peer`.
    func receive(_ text: String, from peer: RelayPeer) {
        metrics.countFrame(bytes: text.utf8.count)
        guard case .object(let object)? = JSONCoding.parse(Array(text.utf8)),
            let type = object["type"]?.stringValue
        else { return }
        if let frameTrace {
            if type == "relay:auth" {
                var redacted = object
                for field in ["authToken", "senderKey"] where redacted[field] != nil {
                    redacted[field] = .string("[redacted]")
                }
                frameTrace(Self.encode(redacted))
            } else {
                frameTrace(text)
            }
        }
        guard let membership = state.withLock({ $0.members[peer.id] }) else {
            if type == "relay:auth" { authenticate(object, peer: peer) }
            return
        }
        touch(membership.roomID)
        switch (membership.role, type) {
        case (.recipient, "relay:request"), (.recipient, "relay:request:cancel"), (.recipient, "relay:request:sealed"):
            guard let requestID = object["requestId"]?.stringValue else { return }
            var tagged = object
            tagged["requestId"] = .string("r:\(peer.id):\(requestID)")
            activeSender(in: membership.roomID)?.send(Self.encode(tagged))
        case (.recipient, "relay:pair:ack"):
            activeSender(in: membership.roomID)?.send(text)
        case (.sender, "relay:response:meta"), (.sender, "relay:response:chunk"), (.sender, "relay:response:done"),
            (.sender, "relay:response:error"), (.sender, "relay:response:sealed"):
            guard let tag = object["requestId"]?.stringValue, tag.hasPrefix("r:") else { return }
            let rest = tag.dropFirst(2)
            guard let colon = rest.firstIndex(of: ":") else { return }
            let recipientID = String(rest[..<colon])
            var restored = object
            restored["requestId"] = .string(String(rest[rest.index(after: colon)...]))
            let recipient = state.withLock { $0.rooms[membership.roomID]?.recipients[recipientID] }
            recipient?.send(Self.encode(restored))
        case (.sender, "relay:usage"):
            let (recipients, senders) = state.withLock { state -> ([RelayPeer], [RelayPeer]) in
                guard let room = state.rooms[membership.roomID] else { return ([], []) }
                return (Array(room.recipients.values), room.senders.map(\.peer).filter { $0.id != peer.id })
            }
            for other in recipients + senders { other.send(text) }
        case (.sender, "relay:pair:hello"), (.sender, "relay:vault:offer"), (.sender, "relay:vault:offer:failed"),
            (.sender, "relay:pair:usage"):
            for recipient in state.withLock({ Array($0.rooms[membership.roomID]?.recipients.values ?? [:].values) }) {
                recipient.send(text)
            }
        default:
            return
        }
    }

    private func touch(_ roomID: String) {
        state.withLock { $0.rooms[roomID]?.lastActivity = .now }
    }

    private func activeSender(in roomID: String) -> RelayPeer? {
        state.withLock { $0.rooms[roomID]?.senders.first?.peer }
    }

    // MARK: Authentication

    private func authenticate(_ object: [String: JSONValue], peer: RelayPeer) {
        guard let roomID = object["roomId"]?.stringValue, let token = object["authToken"]?.stringValue,
            let role = object["role"]?.stringValue.flatMap(RelayRole.init(rawValue:)),
            !roomID.isEmpty, roomID.utf8.count <= 256, token.utf8.count <= 1024
        else {
            return reply(peer, success: false, error: "invalid auth payload")
        }
        let priority = object["priority"]?.numberValue.map { Int.clamping($0, to: 0...1) } ?? 1
        let senderKey = object["senderKey"]?.stringValue
        let now = ContinuousClock.now
        enum Outcome {
            case failure(String)
            case joined(peerOnline: Bool, notify: [RelayPeer])
        }
        let outcome: Outcome = state.withLock { state in
            let bucket = "\(roomID)|\(role.rawValue)"
            let recent = (state.attempts[bucket] ?? []).filter { now - $0 < limits.authWindow }
            guard recent.count < limits.authAttempts else {
                state.attempts[bucket] = recent
                return .failure("too many auth attempts")
            }
            state.attempts[bucket] = recent + [now]
            let isVersion2 = roomID.hasPrefix("v2_")
            if isVersion2, role == .sender {
                guard let senderKey,
                    ConstantTime.equals(Array(Self.roomID(senderKey: senderKey).utf8), Array(roomID.utf8))
                else { return .failure("sender key does not match the room") }
            }
            var room: Room
            if let existing = state.rooms[roomID] {
                room = existing
                if isVersion2, role == .sender, !room.hasSenderProof {
                    // Only a proven sender fixes a version 2 room's token.
                    room.token = Array(token.utf8)
                    room.hasSenderProof = true
                }
                guard ConstantTime.equals(room.token, Array(token.utf8)) else { return .failure("auth token mismatch") }
            } else {
                if isVersion2, role == .recipient { return .failure("the room's sender is not online") }
                room = Room(token: Array(token.utf8), lastActivity: now, hasSenderProof: isVersion2)
            }
            var notify: [RelayPeer] = []
            let peerOnline: Bool
            switch role {
            case .sender:
                guard room.senders.count < limits.sendersPerRoom else { return .failure("sender cap reached") }
                let wasOffline = room.senders.isEmpty
                let index = room.senders.firstIndex { $0.priority < priority } ?? room.senders.endIndex
                room.senders.insert((peer, priority), at: index)
                peerOnline = !room.recipients.isEmpty
                if wasOffline { notify = Array(room.recipients.values) }
            case .recipient:
                guard room.recipients.count < limits.recipientsPerRoom else { return .failure("recipient cap reached") }
                room.recipients[peer.id] = peer
                peerOnline = !room.senders.isEmpty
                notify = room.senders.map(\.peer)
            }
            room.lastActivity = now
            state.rooms[roomID] = room
            state.members[peer.id] = Membership(roomID: roomID, role: role)
            return .joined(peerOnline: peerOnline, notify: notify)
        }
        switch outcome {
        case .failure(let error):
            metrics.countAuthFailure()
            reply(peer, success: false, error: error)
        case .joined(let peerOnline, let notify):
            peer.send(
                Self.encode([
                    "type": .string("relay:auth:result"), "success": .bool(true), "peerOnline": .bool(peerOnline),
                ])
            )
            for other in notify { other.send(Self.peerStatus(online: true)) }
        }
    }

    private func reply(_ peer: RelayPeer, success: Bool, error: String) {
        peer.send(
            Self.encode(["type": .string("relay:auth:result"), "success": .bool(success), "error": .string(error)])
        )
    }

    // MARK: Leaving and sweeping

    /// Removes `peer` from its room, telling the other side when it goes offline.
    func leave(_ peer: RelayPeer) {
        let notify: [RelayPeer] = state.withLock { state in
            guard let membership = state.members.removeValue(forKey: peer.id), var room = state.rooms[membership.roomID]
            else { return [] }
            var notify: [RelayPeer] = []
            switch membership.role {
            case .sender:
                room.senders.removeAll { $0.peer.id == peer.id }
                if room.senders.isEmpty { notify = Array(room.recipients.values) }
            case .recipient:
                room.recipients[peer.id] = nil
                if room.recipients.isEmpty { notify = room.senders.map(\.peer) }
            }
            if room.senders.isEmpty, room.recipients.isEmpty {
                state.rooms[membership.roomID] = nil
            } else {
                state.rooms[membership.roomID] = room
            }
            return notify
        }
        for other in notify { other.send(Self.peerStatus(online: false)) }
    }

    /// Closes rooms idle for longer than the limit and forgets old auth attempts.
    func sweep(now: ContinuousClock.Instant = .now) {
        let closing: [RelayPeer] = state.withLock { state in
            var closing: [RelayPeer] = []
            for (roomID, room) in state.rooms where now - room.lastActivity >= limits.idleTimeout {
                closing += room.senders.map(\.peer) + Array(room.recipients.values)
                state.rooms[roomID] = nil
            }
            for peer in closing { state.members[peer.id] = nil }
            state.attempts = state.attempts.filter { _, times in times.contains { now - $0 < limits.authWindow } }
            return closing
        }
        for peer in closing { peer.close() }
    }

    /// Counts for the metrics endpoint.
    func snapshot() -> (rooms: Int, senders: Int, recipients: Int) {
        state.withLock { state in
            (
                state.rooms.count, state.rooms.values.reduce(0) { $0 + $1.senders.count },
                state.rooms.values.reduce(0) { $0 + $1.recipients.count }
            )
        }
    }

    static func peerStatus(online: Bool) -> String {
        encode(["type": .string("relay:peer:status"), "online": .bool(online)])
    }

    static func encode(_ object: [String: JSONValue]) -> String {
        var writer = JSONWriter()
        writer.write(.object(object))
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
