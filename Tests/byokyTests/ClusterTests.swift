import ByokyCore
import ByokyRelaySocket
import ByokyTesting
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// `scripts/cluster.sh` (PostgreSQL, 2 vaults, 2 marketplaces, 3 relays, nginx in front), driven
/// through nginx while one instance of each kind is killed (`kill -9`) mid-run: no acknowledged
/// write is lost, requests caught by the kill fail with a clear error, and the rest keeps serving.
/// Vault sessions, marketplace listings, a gift between two real wallets (then served by a vault
/// once the giver's wallet stops), and relay rooms.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ClusterTests {
    static var isEnabled: Bool {
        PythonInterop.isCI
            || (FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx")
                && !((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).isEmpty)
    }

    /// The running cluster: its addresses through nginx, and its folder (pids, logs).
    struct Cluster: Sendable {
        let folder: String
        let vault: Int
        let marketplace: Int
        let relay: String

        static func with(in parent: TemporaryFolder, _ body: @Sendable (Cluster) async throws -> Void) async throws {
            // PostgreSQL runs as an unprivileged user under root: it must be able to enter the folder.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent.path)
            let folder = parent.path + "/cluster"
            let script = PythonInterop.packageRoot.appendingPathComponent("scripts/cluster.sh").path
            let binaries = CommandLineTests.executable.deletingLastPathComponent().path
            let started = try await ProcessRunner.runStartingDaemons(
                "BYOKY_BIN=\(binaries) \(script) start \(folder) >\(parent.path)/cluster.out 2>&1 </dev/null"
            )
            let output = (try? String(contentsOfFile: parent.path + "/cluster.out", encoding: .utf8)) ?? ""
            defer {
                _ = try? ProcessRunner.runBlocking(
                    URL(fileURLWithPath: "/bin/bash"),
                    arguments: ["-c", "\(script) stop \(folder) >/dev/null 2>&1 </dev/null"]
                )
            }
            guard started.status == 0 else { throw FixtureError("cluster.sh start: \(output)") }
            var values: [String: String] = [:]
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            guard let vault = values["vault"].flatMap(Self.port), let market = values["marketplace"].flatMap(Self.port),
                let relay = values["relay"]
            else { throw FixtureError("cluster.sh said: \(output)") }
            try await body(Cluster(folder: folder, vault: vault, marketplace: market, relay: relay))
        }

        static func port(_ url: String) -> Int? { url.split(separator: ":").last.flatMap { Int($0) } }

        /// Kills an instance at once, as a crash would (`vault-1`, `relay-2`, …).
        func kill(_ name: String) throws {
            let pid = try String(contentsOfFile: "\(folder)/pids/\(name).pid", encoding: .utf8)
            guard let number = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)),
                Foundation.kill(number, SIGKILL) == 0
            else { throw FixtureError("could not kill \(name)") }
        }

        /// An instance's own port (from its log), bypassing nginx.
        func directPort(_ name: String) throws -> Int {
            let log = try String(contentsOfFile: "\(folder)/logs/\(name).log", encoding: .utf8)
            guard let match = log.firstMatch(of: /listening on [a-z]+:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.1)
            else { throw FixtureError("no port in \(name)'s log") }
            return port
        }
    }

    /// What a request through nginx came to: a status, or a transport failure (a cut connection).
    enum Outcome: Sendable, Equatable {
        case status(Int, code: String?)
        case cut
    }

    static func send(
        _ port: Int,
        _ method: HTTPMethod,
        _ path: String,
        json: String? = nil,
        token: String? = nil,
        headers: [(String, String)] = [],
        timeout: TimeAmount = .seconds(30)
    ) async -> (Outcome, LoopbackAnswer?) {
        do {
            let answer = try await LoopbackHTTP.send(
                port: port,
                method,
                path,
                json: json,
                token: token,
                headers: headers,
                timeout: timeout
            )
            let code = (answer.json["error"] as? [String: Any])?["code"] as? String
            return (.status(answer.status, code: code), answer)
        } catch {
            return (.cut, nil)
        }
    }

    /// A failure the kill may cause: nginx's JSON 503 when no instance answered, or a cut
    /// connection (the instance died while answering). Anything else is a defect.
    static func isClearFailure(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .cut, .status(503, code: "SERVICE_UNAVAILABLE"): true
        default: false
        }
    }

    @Test(.enabled(if: isEnabled))
    func killingOneInstanceOfEachKindLosesNoAcknowledgedWork() async throws {
        try await TemporaryFolder.with { folder in
            let mock = try CommandLineTests.server("byoky-mock-provider", "--event-delay-ms", "5")
            defer { mock.killAbruptly() }
            let mockPort = try await mock.announcedPort()
            try await Cluster.with(in: folder) { cluster in
                try await Self.vaults(cluster, mockPort: mockPort)
                try await Self.marketplaces(cluster)
                try await Self.gifts(cluster, mockPort: mockPort)
                try await Self.relays(cluster)
            }
        }
    }

    static func json(_ value: some Encodable) -> String { String(decoding: WalletAPI.encode(value), as: UTF8.self) }

    /// Vault sessions stream through /proxy and keys are written while `vault-1` dies.
    static func vaults(_ cluster: Cluster, mockPort: Int) async throws {
        let port = cluster.vault
        let credentials = #"{"username":"cluster_owner","password":"Cluster-Vault-Password-12"}"#
        let (_, signed) = await send(port, .POST, "/auth/signup", json: credentials)
        let login = try #require(signed?.json["token"] as? String, "\(signed?.text ?? "")")
        let upload = VaultCredentialUpload(
            provider: "anthropic",
            label: "Cluster key",
            secret: "sk-cluster-upstream",
            baseUrl: "http://127.0.0.1:\(mockPort)",
            updatedAt: Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        )
        #expect(
            await send(port, .PUT, "/credentials/key-main", json: Self.json(upload), token: login).0
                == .status(200, code: nil)
        )
        let connect = VaultConnectRequest(providers: [ProviderRequirement(id: .anthropic)], appName: "Cluster app")
        let (_, connected) = await send(port, .POST, "/connect", json: Self.json(connect), token: login)
        let sessionKey = try #require(connected?.json["sessionKey"] as? String, "\(connected?.text ?? "")")
        let body =
            #"{"model":"claude-sonnet-4-5","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let proxied: @Sendable () async -> Outcome = {
            let (outcome, answer) = await send(
                port,
                .POST,
                "/proxy/anthropic/v1/messages",
                json: body,
                headers: [("x-api-key", sessionKey)]
            )
            // A stream that reached its end counts as served; a cut one as cut.
            if case .status(200, _) = outcome, answer?.text.contains("event: message_stop") != true { return .cut }
            return outcome
        }

        let answered = Locked(0)
        let outcomes = Locked<[Outcome]>([])
        let acknowledged = Locked<[String]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<15 {
                        let outcome = await proxied()
                        outcomes.withLock { $0.append(outcome) }
                        answered.withLock { $0 += 1 }
                    }
                }
            }
            group.addTask {
                for index in 0..<20 {
                    var write = upload
                    write.label = "Written \(index)"
                    write.updatedAt += Int64(index + 1)
                    let (outcome, _) = await send(
                        port,
                        .PUT,
                        "/credentials/key-\(index)",
                        json: Self.json(write),
                        token: login
                    )
                    if outcome == .status(200, code: nil) { acknowledged.withLock { $0.append("key-\(index)") } }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            group.addTask {
                for _ in 0..<400 where answered.withLock({ $0 }) < 12 { try await Task.sleep(for: .milliseconds(10)) }
                try cluster.kill("vault-1")
            }
            try await group.waitForAll()
        }
        let all = outcomes.withLock { $0 }
        let failed = all.filter { $0 != .status(200, code: nil) }
        #expect(all.count == 60)
        #expect(failed.allSatisfy(isClearFailure), "\(failed)")
        #expect(failed.count <= 4, "more requests failed than were in flight: \(failed)")
        // After the kill, everything is served by the other instance, the login included.
        for _ in 0..<10 { #expect(await proxied() == .status(200, code: nil)) }
        let (_, listed) = await send(port, .GET, "/credentials", token: login)
        let stored = Set(((listed?.json["credentials"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        let written = acknowledged.withLock { $0 }
        #expect(written.count >= 15, "\(written)")
        #expect(Set(written).isSubset(of: stored), "lost: \(Set(written).subtracting(stored))")
    }

    /// Gifts are listed on the board while `marketplace-1` dies.
    static func marketplaces(_ cluster: Cluster) async throws {
        let port = cluster.marketplace
        let acknowledged = Locked<[String]>([])
        let failures = Locked<[Outcome]>([])
        let listed = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    for _ in 0..<10 {
                        let id = SecureRandom.uuid()
                        let link = GiftLink(
                            giftID: id,
                            provider: .anthropic,
                            senderLabel: "Ana",
                            authToken: "gft_" + SecureRandom.base64URLToken(byteCount: 16),
                            maxTokens: 10_000,
                            expiresAt: Int64(Date().timeIntervalSince1970 * 1000) + 86_400_000,
                            relayURL: "wss://relay.example",
                            roomID: RelaySealing.roomID(senderKey: SecureRandom.base64URLToken(byteCount: 32)),
                            publicKey: RelaySealing.generateKeyPair().publicKey
                        )
                        let body = String(
                            decoding: try JSONSerialization.data(withJSONObject: [
                                "giftLink": link.url(), "gifterName": "Ana",
                            ]),
                            as: UTF8.self
                        )
                        let (outcome, _) = await send(port, .POST, "/gifts", json: body)
                        if outcome == .status(201, code: nil) {
                            acknowledged.withLock { $0.append(id) }
                        } else {
                            failures.withLock { $0.append(outcome) }
                        }
                        listed.withLock { $0 += 1 }
                    }
                }
            }
            group.addTask {
                for _ in 0..<400 where listed.withLock({ $0 }) < 8 { try await Task.sleep(for: .milliseconds(10)) }
                try cluster.kill("marketplace-1")
            }
            try await group.waitForAll()
        }
        let failed = failures.withLock { $0 }
        #expect(failed.allSatisfy(isClearFailure) && failed.count <= 3, "\(failed)")
        let (_, board) = await send(port, .GET, "/gifts")
        let shown = Set(((board?.json["active"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        let written = acknowledged.withLock { $0 }
        #expect(written.count >= 27, "\(written.count) acknowledged")
        #expect(Set(written).isSubset(of: shown), "lost: \(Set(written).subtracting(shown))")
    }

    /// A gift between two wallets (`byoky serve` each) through the relays behind nginx: it serves,
    /// the relay holding its room dies, both wallets find each other on another relay, and it
    /// serves again; a request caught by the kill fails in the provider's error format.
    static func gifts(_ cluster: Cluster, mockPort: Int) async throws {
        try await WalletCommandTests.Home.with { giver in
            try await WalletCommandTests.Home.with { receiver in
                let added = try await giver.byoky(
                    [
                        "key", "add", "anthropic", "--base-url", "http://127.0.0.1:\(mockPort)", "--password-file",
                        giver.passwordFile,
                    ],
                    input: "sk-cluster-gift-upstream\n"
                )
                #expect(added.status == 0, "\(added.stderr)")
                let created = try await giver.byoky([
                    "gift", "create", "--key", "Anthropic", "--budget", "100000", "--expires", "2h", "--relay",
                    cluster.relay, "--json", "--password-file", giver.passwordFile,
                ])
                struct Created: Decodable {
                    let id: String
                    let link: String
                }
                let gift = try JSONDecoder().decode(Created.self, from: Data(created.stdout.utf8))
                let link = gift.link
                let giverServe = try BackgroundProcess(
                    CommandLineTests.executable,
                    arguments: ["serve", "--port", "0", "--password-file", giver.passwordFile],
                    environment: giver.environment
                )
                defer { giverServe.killAbruptly() }
                _ = try await giverServe.announcedPort()
                let redeemed = try await receiver.byoky(
                    ["gift", "redeem", "--password-file", receiver.passwordFile],
                    input: link + "\n"
                )
                #expect(redeemed.status == 0, "\(redeemed.stderr)")
                let receiverServe = try BackgroundProcess(
                    CommandLineTests.executable,
                    arguments: ["serve", "--port", "0", "--password-file", receiver.passwordFile],
                    environment: receiver.environment
                )
                defer { receiverServe.killAbruptly() }
                let bridge = try await receiverServe.announcedPort()
                let exec = GiftCall.exec(app: "gift-user", bridgePort: bridge)
                func served(within seconds: Int) async throws -> (Bool, [String]) {
                    var failures: [String] = []
                    for _ in 0..<(seconds * 4) {
                        let answer = try await receiver.byoky(exec).stdout
                        if answer.hasSuffix("status=200") { return (true, failures) }
                        failures.append(answer)
                        try await Task.sleep(for: .milliseconds(250))
                    }
                    return (false, failures)
                }
                let (first, _) = try await served(within: 30)
                #expect(first, "the gift never served")

                var holding: String?
                for name in ["relay-1", "relay-2", "relay-3"] {
                    let (_, health) = await send(try cluster.directPort(name), .GET, "/health", timeout: .seconds(2))
                    if (health?.json["rooms"] as? Int ?? 0) > 0 { holding = name }
                }
                let victim = try #require(holding, "no relay holds the gift's room")
                try cluster.kill(victim)
                let (again, failures) = try await served(within: 60)
                #expect(again, "the gift did not serve again after \(victim) died: \(failures.suffix(2))")
                // What failed meanwhile failed in Anthropic's error shape, never as a hang or HTML.
                for failure in failures {
                    #expect(failure.contains(#""type":"error""#), "\(failure)")
                }

                // The giver has the cluster's vaults serve the gift, and its wallet stops: a vault
                // (sharing the database and the gift key) holds the room through nginx and serves.
                let signed = try await giver.byoky(
                    ["vault", "signup", "--vault", "http://127.0.0.1:\(cluster.vault)", "--username", "cluster_giver"],
                    input: "Cluster-Gift-Password-27\n"
                )
                #expect(signed.status == 0, "\(signed.stderr)")
                let on = try await giver.byoky([
                    "gift", "vault", "on", gift.id, "--yes", "--password-file", giver.passwordFile,
                ])
                #expect(on.status == 0, "\(on.stderr)")
                giverServe.killAbruptly()
                let (byVault, vaultFailures) = try await served(within: 30)
                let vaultLogs = (1...2).compactMap {
                    try? String(contentsOfFile: "\(cluster.folder)/logs/vault-\($0).log", encoding: .utf8)
                }
                #expect(byVault, "the vault did not serve the gift: \(vaultFailures.suffix(2)) \(vaultLogs)")
                // Turned off, the vault leaves the room (and the relays hold only later phases' rooms).
                let off = try await giver.byoky([
                    "gift", "vault", "off", gift.id, "--password-file", giver.passwordFile,
                ])
                #expect(off.status == 0, "\(off.stderr)")
            }
        }
    }

    /// Rooms of sender and recipient peers through nginx: both peers of each room meet on one
    /// relay; killing the relay that holds some rooms moves only those, and their peers meet again.
    static func relays(_ cluster: Cluster) async throws {
        let rooms = (0..<12).map { RoomPair(id: "cluster-room-\($0)", relay: cluster.relay) }
        for room in rooms { room.start() }
        defer { for room in rooms { room.stop() } }
        #expect(try await waitUntil(seconds: 20) { rooms.allSatisfy(\.isTogether) }, "rooms never met")
        // Every room is on a relay (earlier phases' rooms close as their peers leave; a dead relay holds none).
        var held: [(name: String, rooms: Int)] = []
        for _ in 0..<100 {
            held = []
            for name in ["relay-1", "relay-2", "relay-3"] {
                // A relay killed earlier answers nothing: do not wait on it.
                let (_, health) = await send(try cluster.directPort(name), .GET, "/health", timeout: .seconds(2))
                held.append((name, health?.json["rooms"] as? Int ?? 0))
            }
            if held.map(\.rooms).reduce(0, +) == rooms.count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(held.map(\.rooms).reduce(0, +) == rooms.count, "\(held)")
        let victim = try #require(held.first { $0.rooms > 0 })
        try cluster.kill(victim.name)
        // Its rooms' peers are cut off, then meet again on another relay; no other room moves.
        #expect(
            try await waitUntil(seconds: 20) { rooms.filter { $0.disconnections > 0 }.count >= victim.rooms },
            "the killed relay's peers were not cut off"
        )
        #expect(try await waitUntil(seconds: 30) { rooms.allSatisfy(\.isTogether) }, "rooms did not meet again")
        let moved = rooms.filter { $0.disconnections > 0 }
        #expect(moved.count == victim.rooms, "\(moved.count) rooms moved; \(victim.name) held \(victim.rooms)")
    }

    static func waitUntil(seconds: Int, _ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 20) {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}

/// A relay room with a sender and a recipient that reconnect whenever their socket closes.
final class RoomPair: Sendable {
    let id: String
    let relay: String
    private struct State {
        var online: [RelayRole: Bool] = [:]
        var disconnections = 0
        var tasks: [Task<Void, Never>] = []
    }
    private let state = Mutex(State())

    init(id: String, relay: String) {
        self.id = id
        self.relay = relay
    }

    /// Whether each peer has heard that the other is in the room.
    var isTogether: Bool { state.withLock { $0.online[.sender] == true && $0.online[.recipient] == true } }
    /// How often the sender's connection was lost.
    var disconnections: Int { state.withLock { $0.disconnections } }

    func start() {
        let tasks = [RelayRole.sender, .recipient].map { role in
            Task { await self.keepConnected(as: role) }
        }
        state.withLock { $0.tasks = tasks }
    }

    func stop() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
    }

    private func keepConnected(as role: RelayRole) async {
        for _ in 0..<200 where !Task.isCancelled {
            let writer = RelayFrameWriter()
            try? await RelayRoomSocket.run(
                url: relay,
                room: id,
                writer: writer,
                opened: {
                    writer.send(.auth(roomID: self.id, authToken: "cluster-token", role: role, priority: 0))
                },
                receive: { text in
                    switch try? RelayMessage.parse(text, maximumSize: RelayMessage.relayMaximumFrameSize) {
                    case .authResult(true, _, let peerOnline?):
                        self.state.withLock { $0.online[role] = peerOnline }
                    case .peerStatus(let online):
                        self.state.withLock { $0.online[role] = online }
                    default:
                        break
                    }
                    return true
                }
            )
            guard !Task.isCancelled else { return }
            state.withLock { state in
                state.online[role] = false
                if role == .sender { state.disconnections += 1 }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
