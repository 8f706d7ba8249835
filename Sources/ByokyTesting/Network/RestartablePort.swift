import Foundation
import NIOCore
import NIOPosix

/// A loopback port for a server a test stops and starts again at the same address.
///
/// Chosen below the kernel's ephemeral range, where nothing else lands on it meanwhile. A port
/// from that range (one a bind to port 0 gives) can be taken while the server is down: by any
/// outgoing connection's local port, and by a client that keeps reconnecting to it, which Linux
/// may connect to itself (a TCP self-connect, when source and destination port coincide). Then the
/// server cannot listen again. CI failed a restart test that way.
public enum RestartablePort {
    /// A port below the ephemeral range that nobody listens on right now (tried up to 50 times).
    public static func make() async throws -> Int {
        let ports = candidates
        for _ in 0..<50 {
            let port = Int.random(in: ports)
            guard
                let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: "127.0.0.1", port: port).get()
            else { continue }
            try await channel.close()
            return port
        }
        throw FixtureError("no free loopback port below the ephemeral range \(ports)")
    }

    /// Ports under the kernel's ephemeral range (Linux's `ip_local_port_range`; 32768 on Linux
    /// and 49152 on macOS by default), above the well-known and most services' ports.
    static var candidates: Range<Int> {
        let lowestEphemeral = linuxEphemeralRangeStart ?? 32768
        let top = min(lowestEphemeral, 32768)
        return top > 21000 ? 20000..<top : 10000..<max(top, 10001)
    }

    private static var linuxEphemeralRangeStart: Int? {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        else { return nil }
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
    }
}
