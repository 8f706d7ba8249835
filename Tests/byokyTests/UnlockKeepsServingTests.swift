import ByokyCore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The running wallet keeps answering apps while `byoky unlock` derives its key. The daemon runs
/// Swift Concurrency's jobs on the event loops that serve the bridge; the derivation ran on one of
/// them, and every connection of that loop waited for it (some 70 ms at the default rounds on a
/// fast machine, seconds on a slow one or for a backup with many keys).
///
/// A wallet made with many rounds, so one derivation lasts most of a second here: while the unlock
/// runs, a probe on a fresh connection every 20 ms (the bridge spreads connections over its
/// loops) must be answered in under a quarter of the unlock's time. Before, one waited for all of it.
@Suite(.timeLimit(.minutes(2)))
struct UnlockKeepsServingTests {
    @Test func theBridgeAnswersWhileTheWalletUnlocks() async throws {
        try await WalletCommandTests.Home.with(initialized: false) { home in
            let wallet = try await Wallet.open(home: WalletHome(path: home.folder.path + "/wallet"))
            try await wallet.initialize(password: WalletCommandTests.password, iterations: 2_000_000)
            try await wallet.close()
            let daemon = try home.startServing(["--marketplace", "http://127.0.0.1:9"])
            defer { daemon.killAbruptly() }
            let port = try await daemon.announcedPort(timeout: .seconds(60))
            #expect(try await home.byoky(["lock"]).status == 0)

            let started = ContinuousClock.now
            let finished = Locked(false)
            let unlock = Task {
                defer { finished.withLock { $0 = true } }
                return try await home.byoky(["unlock", "--password-file", home.passwordFile])
            }
            var longest = Duration.zero
            var probes = 0
            while !finished.withLock({ $0 }), probes < 1_500 {
                try await Task.sleep(for: .milliseconds(20))
                let sent = ContinuousClock.now
                let answer = try await LoopbackHTTP.send(
                    port: port,
                    .GET,
                    "/anthropic/v1/models",
                    headers: [("connection", "close")],
                    timeout: .seconds(30)
                )
                longest = max(longest, ContinuousClock.now - sent)
                probes += 1
                // No session key: refused at once, locked or not, by whichever loop has the connection.
                #expect(answer.status == 401, "\(answer.status) \(answer.text)")
            }
            let unlocked = try await unlock.value
            let duration = ContinuousClock.now - started
            #expect(unlocked.status == 0, "\(unlocked.stderr)")
            #expect(probes >= 4, "\(probes) probes in \(duration)")
            #expect(longest < duration / 4, "the unlock took \(duration); the slowest of \(probes) probes \(longest)")
        }
    }
}
