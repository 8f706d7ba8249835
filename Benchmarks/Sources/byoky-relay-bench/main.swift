import ByokyCore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

// Measures the byoky relay: added round-trip latency per request (p50/p99) against a direct
// WebSocket echo, frames per second through one room and across many rooms, and the relay
// process's memory with many idle connections.
//
// Usage: byoky-relay-bench <path to byoky-relay> [requests] [rooms] [connections per room]
//        (defaults: 5000 requests, 1000 rooms, 10 connections per room)

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: byoky-relay-bench <path to byoky-relay> [requests] [rooms] [connections per room]")
    exit(2)
}
let relayBinary = arguments[1]
let requestCount = arguments.count > 2 ? Int(arguments[2]) ?? 5000 : 5000
let roomCount = arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000
let connectionsPerRoom = arguments.count > 4 ? Int(arguments[4]) ?? 10 : 10

/// The frames a sender answers a request with: a head and the end.
func answer(_ frame: String) -> [RelayMessage]? {
    guard case .request(let request)? = try? RelayMessage.parse(frame, maximumSize: 1 << 24) else { return nil }
    return [
        .responseMeta(requestID: request.requestID, status: 200, statusText: nil, headers: [:]),
        .responseDone(requestID: request.requestID),
    ]
}

/// A wallet-like sender that answers every request at once.
func echo(on peer: BenchPeer) {
    Task {
        for await frame in peer.incoming {
            for reply in answer(frame) ?? [] { peer.send(reply) }
        }
    }
}

func request(_ id: Int) -> RelayMessage {
    .request(
        RelayRequest(
            requestID: "q\(id)",
            provider: .anthropic,
            url: "https://api.anthropic.com/v1/messages",
            method: "POST",
            headers: ["content-type": "application/json"],
            body: #"{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"ping"}]}"#
        )
    )
}

/// Sends `count` requests one after another; returns each round trip in microseconds.
func roundTrips(_ peer: BenchPeer, count: Int) async -> [Double] {
    var results: [Double] = []
    results.reserveCapacity(count)
    var iterator = peer.incoming.makeAsyncIterator()
    for index in 0..<count {
        let start = ContinuousClock.now
        peer.send(request(index))
        while let frame = await iterator.next() {
            if frame.contains("relay:response:done") { break }
        }
        let elapsed = ContinuousClock.now - start
        results.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    return results
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func rss(of pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
}

/// Joins a room: the sender (priority 1) first, then recipients.
func join(_ peer: BenchPeer, room: String, role: RelayRole) async throws {
    peer.send(.auth(roomID: room, authToken: "bench-token", role: role, priority: 1))
    for await frame in peer.incoming {
        if frame.contains("relay:auth:result") {
            guard frame.contains("\"success\":true") else { throw BenchError("auth refused: \(frame)") }
            return
        }
    }
}

// --- The relay process.
let relay = Process()
relay.executableURL = URL(fileURLWithPath: relayBinary)
relay.arguments = ["--port", "0"]
let relayOutput = Pipe()
relay.standardOutput = relayOutput
try relay.run()
var announced = ""
while !announced.contains("byoky-relay listening") || !announced.hasSuffix("\n") {
    let data = relayOutput.fileHandleForReading.availableData
    guard !data.isEmpty else { break }
    announced += String(decoding: data, as: UTF8.self)
}
let listening = announced.split(separator: "\n").first { $0.contains("byoky-relay listening") } ?? ""
guard let address = listening.split(separator: " ").first(where: { $0.hasPrefix("ws://127.0.0.1:") }),
    let relayPort = Int(address.dropFirst("ws://127.0.0.1:".count))
else {
    print("byoky-relay did not say where it listens: \(announced)")
    exit(1)
}
let relayURL = "ws://127.0.0.1:\(relayPort)/"
defer { relay.terminate() }

// --- A direct echo server, the baseline without a relay.
var logger = Logger(label: "bench")
logger.logLevel = .critical
let echoRouter = Router(context: BasicWebSocketRequestContext.self)
echoRouter.ws("/") { inbound, outbound, _ in
    do {
        for try await message in inbound.messages(maxSize: 1 << 24) {
            guard case .text(let text) = message else { continue }
            for reply in answer(text) ?? [] {
                try await outbound.write(.text(String(decoding: reply.encoded(), as: UTF8.self)))
            }
        }
    } catch {}
}
let echoPort = 18_787 + Int(getpid() % 1000)
let echoServer = Application(
    router: Router(),
    server: .http1WebSocketUpgrade(webSocketRouter: echoRouter),
    configuration: .init(address: .hostname("127.0.0.1", port: echoPort)),
    logger: logger
)
Task { try await echoServer.runService() }
try await Task.sleep(for: .milliseconds(500))

let machine =
    (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
    .trimmingCharacters(in: .whitespaces) ?? "unknown"
print("machine: \(machine), \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("relay RSS at start: \(rss(of: relay.processIdentifier) / 1024) MB")

// --- Latency: one request at a time.
let direct = try await BenchPeer.open("ws://127.0.0.1:\(echoPort)/")
_ = await roundTrips(direct, count: 500)
let directTimes = await roundTrips(direct, count: requestCount)
let wallet = try await BenchPeer.open(relayURL)
try await join(wallet, room: "bench-latency", role: .sender)
echo(on: wallet)
let app = try await BenchPeer.open(relayURL)
try await join(app, room: "bench-latency", role: .recipient)
_ = await roundTrips(app, count: 500)
let relayTimes = await roundTrips(app, count: requestCount)
for (label, p) in [("p50", 0.5), ("p99", 0.99)] {
    let viaRelay = percentile(relayTimes, p)
    let straight = percentile(directTimes, p)
    print(
        "round trip \(label): direct \(Int(straight)) µs, through the relay \(Int(viaRelay)) µs, added \(Int(viaRelay - straight)) µs"
    )
}

// --- Throughput through one room: 64 requests in flight.
do {
    let inFlight = 64
    let total = requestCount * 4
    let start = ContinuousClock.now
    var sent = 0
    var done = 0
    while sent < inFlight {
        app.send(request(sent))
        sent += 1
    }
    for await frame in app.incoming {
        guard frame.contains("relay:response:done") else { continue }
        done += 1
        if done == total { break }
        if sent < total {
            app.send(request(sent))
            sent += 1
        }
    }
    let seconds =
        Double((ContinuousClock.now - start).components.attoseconds) / 1e18
        + Double((ContinuousClock.now - start).components.seconds)
    print(
        "one room, 64 in flight: \(Int(Double(total) / seconds)) requests/s, \(Int(Double(total * 3) / seconds)) frames/s"
    )
}
wallet.close()
app.close()

// --- Many rooms: a sender and recipients in each; every recipient sends 10 requests.
let baseline = rss(of: relay.processIdentifier)
var rooms: [(sender: BenchPeer, recipients: [BenchPeer])] = []
for room in 0..<roomCount {
    let sender = try await BenchPeer.open(relayURL)
    try await join(sender, room: "bench-room-\(room)", role: .sender)
    echo(on: sender)
    var recipients: [BenchPeer] = []
    for _ in 1..<connectionsPerRoom {
        let recipient = try await BenchPeer.open(relayURL)
        try await join(recipient, room: "bench-room-\(room)", role: .recipient)
        recipients.append(recipient)
    }
    rooms.append((sender, recipients))
}
let connections = roomCount * connectionsPerRoom
try await Task.sleep(for: .seconds(2))
let idle = rss(of: relay.processIdentifier)
print(
    "\(roomCount) rooms × \(connectionsPerRoom) connections: relay RSS \(idle / 1024) MB idle (\(String((idle - baseline) * 1024 / connections)) bytes per connection)"
)
let manyStart = ContinuousClock.now
await withTaskGroup(of: Void.self) { group in
    for room in rooms {
        for recipient in room.recipients {
            group.addTask { _ = await roundTrips(recipient, count: 10) }
        }
    }
}
let manyElapsed = ContinuousClock.now - manyStart
let manySeconds = Double(manyElapsed.components.attoseconds) / 1e18 + Double(manyElapsed.components.seconds)
let manyRequests = roomCount * (connectionsPerRoom - 1) * 10
print(
    "\(roomCount) rooms, every recipient 10 requests: \(Int(Double(manyRequests) / manySeconds)) requests/s, \(Int(Double(manyRequests * 3) / manySeconds)) frames/s; relay RSS after \(rss(of: relay.processIdentifier) / 1024) MB"
)
