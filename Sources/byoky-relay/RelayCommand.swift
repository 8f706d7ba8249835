import ArgumentParser
import ByokyCore
import ByokyRelay
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `byoky-relay`: the WebSocket relay for pairing, remote apps and token gifts.
@main
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byoky-relay",
        abstract: "Run the byoky relay: WebSocket rooms joining wallets with apps and gift receivers.",
        discussion: """
            Wallets (senders) and apps or gift receivers (recipients) meet in rooms; the
            relay routes requests and answers between them and never holds a key. It
            speaks the original relay:* frames (v1) and version 2 rooms whose ids prove
            the sender. Put it behind a TLS proxy: clients require wss:// except on
            loopback. GET /health and GET /metrics (Prometheus) are served on the same
            port. See docs/relay-protocol.md.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one and prints it).") var port = 8787
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(
        help: ArgumentHelp(
            "Append every frame peers send to this file (room secrets redacted), to audit what the relay sees.",
            discussion: "End-to-end encrypted frames appear as ciphertext. Created with mode 0600.",
            valueName: "path"
        )
    )
    var traceFrames: String?
    @Option(help: "Recipients allowed in one room (a gift shared by many, a busy pairing).")
    var recipientsPerRoom = RelayLimits().recipientsPerRoom
    @Option(help: "Senders allowed in one room.") var sendersPerRoom = RelayLimits().sendersPerRoom
    @Option(help: "Join attempts per room and role per minute (failed ones included).")
    var authAttemptsPerMinute = RelayLimits().authAttempts

    func validate() throws {
        if let problem = PortNumber.problem(with: port) { throw ValidationError(problem) }
        guard recipientsPerRoom > 0, sendersPerRoom > 0, authAttemptsPerMinute > 0 else {
            throw ValidationError("Room limits must be at least 1")
        }
    }

    func run() async throws {
        var logger = Logger(label: "byoky.relay")
        logger.logLevel = .info
        var trace: (@Sendable (String) -> Void)?
        if let traceFrames {
            let descriptor = open(traceFrames, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            guard descriptor >= 0 else {
                throw ValidationError("Cannot write the frame trace to \(traceFrames) — check the folder exists")
            }
            trace = { frame in
                let line = Array((frame + "\n").utf8)
                _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            }
        }
        var limits = RelayLimits()
        limits.recipientsPerRoom = recipientsPerRoom
        limits.sendersPerRoom = sendersPerRoom
        limits.authAttempts = authAttemptsPerMinute
        let relay = RelayServer(limits: limits, frameTrace: trace)
        let service = relay.makeService(host: host, port: port, logger: logger) { bound in
            // Written unbuffered, so scripts reading a pipe see the address at once.
            let line =
                "byoky-relay listening on \(AbsoluteURL.origin(scheme: "ws", host: host, port: bound))"
                + " (health: \(AbsoluteURL.origin(scheme: "http", host: host, port: bound))/health)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        let group = ServiceGroup(
            services: [service],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
    }
}
