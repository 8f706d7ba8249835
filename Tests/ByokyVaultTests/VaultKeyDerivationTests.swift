import ByokyServerStore
import ByokyTesting
import ByokyVault
import Testing

/// The vault's accounts derive a key from the password at sign-up, at every log-in (right or
/// wrong) and to delete an account; none of it may hold the executor the request runs on (an
/// event loop that serves other connections). Probed as the wallet's derivations are
/// (`KeyDerivationWorkTests`): an executor of one thread, a probe every 10 ms.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct VaultKeyDerivationTests {
    static let password = "Vault-Derivation-Password-66"

    enum Operation: CaseIterable, CustomStringConvertible {
        case signUp, logIn, wrongPassword, deleteAccount

        var description: String {
            switch self {
            case .signUp: "signing up"
            case .logIn: "logging in"
            case .wrongPassword: "logging in with a wrong password"
            case .deleteAccount: "deleting the account"
            }
        }
    }

    @Test(arguments: Operation.allCases)
    func aDerivationLeavesTheCallersExecutorFree(_ operation: Operation) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try await VaultStore.open(try await TestDatabase.sqlite.freshLocation(in: folder, name: "vault"))
        var configuration = VaultConfiguration()
        configuration.passwordIterations = 1_000_000
        let accounts = VaultAccounts(store: store, configuration: configuration)
        do {
            let grant = operation == .signUp ? nil : try await accounts.signUp(username: "ana", password: Self.password)
            let outcome = try await HeldExecutorProbe.run {
                switch operation {
                case .signUp:
                    _ = try await accounts.signUp(username: "ana", password: Self.password)
                case .logIn:
                    _ = try await accounts.logIn(username: "ana", password: Self.password, client: "127.0.0.1")
                case .wrongPassword:
                    await #expect(throws: (any Error).self) {
                        try await accounts.logIn(username: "ana", password: Self.password + "!", client: "127.0.0.1")
                    }
                case .deleteAccount:
                    try await accounts.deleteAccount(token: grant?.token ?? "", password: Self.password)
                }
            }
            #expect(outcome.duration >= .milliseconds(80), "\(outcome)")
            #expect(outcome.longestWait < outcome.duration / 4, "\(operation): \(outcome)")
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}
