import ByokyTesting
import Foundation
import Testing

/// `byoky serve` on a wallet that already runs says so, with where it serves, before asking for
/// the master password; the running wallet stays within reach of the owner's commands.
@Suite struct ServeTwiceTests {
    @Test func aSecondServeRefusesBeforeThePasswordAndTheFirstStaysReachable() async throws {
        try await WalletCommandTests.Home.with { home in
            let first = try home.startServing(["--marketplace", "http://127.0.0.1:9"])
            defer { first.killAbruptly() }
            let address = try await first.announcedURL()
            // No password file and no terminal: only a refusal that comes first can be the answer.
            let second = try await home.byoky(["serve", "--port", "0"], input: "")
            #expect(second.status == 1)
            #expect(second.stderr.contains("This wallet already runs, serving on \(address)"), "\(second.stderr)")
            #expect(!second.stderr.lowercased().contains("password"), "\(second.stderr)")
            // The owner still reaches the running wallet: it reports itself, and locks.
            #expect(try await home.byoky(["status"]).stdout.contains("Serving on \(address) (unlocked)"))
            #expect(try await home.byoky(["lock"]).status == 0)
            #expect(try await home.byoky(["status"]).stdout.contains("Serving on \(address) (locked"))
        }
    }
}
