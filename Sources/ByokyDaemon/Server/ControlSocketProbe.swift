import Foundation
import NIOCore
import NIOPosix

/// Whether another daemon already serves a wallet: its control socket accepts a connection.
///
/// A daemon that started anyway would take the socket from the one running (which then serves
/// on, unreachable by `byoky lock` and every owner command) and remove it when it stops. A socket
/// file that refuses is left over from a daemon that was killed, and may be replaced.
enum ControlSocketProbe {
    static func isAnswering(at path: String) async -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(2))
                .connect(unixDomainSocketPath: path)
                .get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}
