import ByokyCore
import ByokyServerStore
import ByokyTesting
import ByokyVault
import Foundation
import NIOHTTP1
import Testing

/// The vault's accounts over real HTTP, on SQLite and on PostgreSQL: sign-up rules, logins as
/// hashed opaque tokens, log-out, deletion, and the login back-off per account and per client
/// address (never one bucket for everyone; `X-Forwarded-For` only from a trusted proxy).
@Suite(.timeLimit(.minutes(3)))
struct VaultAccountTests {
    @Test(arguments: TestDatabase.available)
    func anAccountSignsUpLogsInAndOutAndIsDeleted(on database: TestDatabase) async throws {
        try await VaultFixture.with(on: database) { vault in
            #expect(try await vault.send(.GET, "/auth/check-username/Ana_1").json["available"] as? Bool == true)
            #expect(try await vault.send(.GET, "/auth/check-username/a").json["reason"] as? String == "invalid")
            let weak = try await vault.send(
                .POST,
                "/auth/signup",
                json: VaultFixture.credentials("ana_1", "password123")
            )
            #expect(weak.status == 400 && weak.code == "WEAK_PASSWORD")
            #expect(((weak.json["error"] as? [String: Any])?["feedback"] as? [String])?.isEmpty == false)
            for bad in ["-ana", "an", "ana!", String(repeating: "a", count: 31)] {
                #expect(try await vault.signUp(bad).code == "INVALID_INPUT", "\(bad)")
            }
            let signed = try await vault.signUp("  Ana_1 ")
            #expect(signed.status == 201)
            #expect((signed.json["user"] as? [String: Any])?["username"] as? String == "ana_1")
            let first = try #require(signed.json["token"] as? String)
            #expect(first.hasPrefix("bvl_"))
            #expect(try await vault.signUp("ana_1").code == "USERNAME_TAKEN")
            #expect(try await vault.send(.GET, "/auth/check-username/ana_1").json["available"] as? Bool == false)

            // A wrong password and an unknown name read the same.
            let wrong = try await vault.logIn("ana_1", "Not-The-Password-99")
            let unknown = try await vault.logIn("nobody_here")
            #expect(
                wrong.status == 401 && unknown.status == 401 && wrong.text == unknown.text,
                "\(wrong.text) \(unknown.text)"
            )
            let login = try await vault.logIn("ANA_1")
            #expect(login.status == 200)
            let second = try #require(login.json["token"] as? String)
            #expect(second != first)
            let current = try await vault.send(.GET, "/auth/session", token: second)
            #expect((current.json["user"] as? [String: Any])?["username"] as? String == "ana_1")

            // Logging out ends that login only; an expired one ends by itself.
            #expect(try await vault.send(.POST, "/auth/logout", token: second).status == 200)
            #expect(try await vault.send(.GET, "/auth/session", token: second).status == 401)
            #expect(try await vault.send(.GET, "/auth/session", token: first).status == 200)
            #expect(try await vault.send(.GET, "/auth/session", token: "bvl_forged").status == 401)
            vault.advance(milliseconds: 8 * 86_400_000)
            #expect(try await vault.send(.GET, "/auth/session", token: first).code == "UNAUTHORIZED")

            // Deleting asks for the password again; then the name is free.
            let third = try #require(try await vault.logIn("ana_1").json["token"] as? String)
            let refused = try await vault.send(
                .DELETE,
                "/auth/account",
                json: #"{"password":"guess-guess-guess"}"#,
                token: third
            )
            #expect(refused.status == 401)
            let deleted = try await vault.send(
                .DELETE,
                "/auth/account",
                json: #"{"password":"\#(VaultFixture.password)"}"#,
                token: third
            )
            #expect(deleted.status == 200)
            #expect(try await vault.send(.GET, "/auth/session", token: third).status == 401)
            #expect(try await vault.logIn("ana_1").status == 401)
            #expect(try await vault.send(.GET, "/auth/check-username/ana_1").json["available"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func failedLoginsBackOffPerAccountAndPerAddressNotForEveryone(on database: TestDatabase) async throws {
        let limits = VaultFixture.configuration {
            $0.accountFailuresAllowed = 3
            $0.addressFailuresAllowed = 6
            $0.trustedProxies = ["127.0.0.1"]
        }
        try await VaultFixture.with(on: database, limits) { vault in
            for name in ["target_1", "other_1", "third_1"] { #expect(try await vault.signUp(name).status == 201) }
            // One account guessed from many addresses: it waits; the others do not.
            for guess in 0..<3 {
                #expect(
                    try await vault.logIn("target_1", "Guess-number-\(guess)!", from: "10.0.0.\(guess)").status == 401
                )
            }
            let held = try await vault.logIn("target_1", from: "10.0.1.1")
            #expect(held.status == 429 && held.code == "RATE_LIMITED")
            #expect(Int(held.header("retry-after") ?? "") ?? 0 >= 59)
            #expect(try await vault.logIn("other_1", from: "10.0.1.1").status == 200)
            // The wait doubles with each further failure and ends; then the right password works.
            vault.advance(milliseconds: 61_000)
            #expect(try await vault.logIn("target_1", "Guess-again-77!", from: "10.0.0.9").status == 401)
            vault.advance(milliseconds: 61_000)
            #expect(try await vault.logIn("target_1", from: "10.0.1.1").status == 429)
            vault.advance(milliseconds: 61_000)
            #expect(try await vault.logIn("target_1", from: "10.0.1.1").status == 200)

            // Spraying many accounts from one address: that address waits, every other one does not.
            for index in 0..<6 {
                _ = try await vault.logIn("sprayed_\(index)", "Spray-Password-1!", from: "10.9.9.9")
            }
            #expect(try await vault.logIn("third_1", from: "10.9.9.9").status == 429)
            #expect(try await vault.logIn("third_1", from: "10.9.9.10").status == 200)
        }
    }

    @Test func forwardedForCountsOnlyFromATrustedProxy() async throws {
        let limits = VaultFixture.configuration { $0.addressFailuresAllowed = 2 }
        try await VaultFixture.with(on: .sqlite, limits) { vault in
            #expect(try await vault.signUp("real_user").status == 201)
            // Not behind a trusted proxy: the header is the client's own claim, and ignored.
            for index in 0..<2 {
                _ = try await vault.logIn("nobody_\(index)", "Spray-Password-1!", from: "10.0.0.\(index)")
            }
            #expect(try await vault.logIn("real_user", from: "10.0.0.200").status == 429)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStolenDatabaseHoldsNoPasswordAndNoToken(on database: TestDatabase) async throws {
        try await VaultFixture.with(on: database) { vault in
            let signed = try await vault.signUp("dumped_1")
            let token = try #require(signed.json["token"] as? String)
            let store = try await VaultStore.open(vault.location)
            let user = try #require(try await store.user(named: "dumped_1"))
            try await store.close()
            let dump = "\(user)"
            #expect(!dump.contains(VaultFixture.password) && !dump.contains(token))
            // The data key is sealed: the password opens it, a wrong one does not.
            let wrapped = try JSONDecoder().decode(WrappedDataKey.self, from: Data(user.wrappedDataKey.utf8))
            #expect(wrapped.derivation.iterations == 100_000)
            #expect(throws: ByokyError.self) { try wrapped.unwrap(password: "Wrong-Password-123") }
            _ = try wrapped.unwrap(password: VaultFixture.password)
        }
    }

    @Test func oversizedAndMalformedBodiesAreRefusedClearly() async throws {
        try await VaultFixture.with { vault in
            let huge = try await vault.send(.POST, "/auth/signup", json: String(repeating: "x", count: 70_000))
            #expect(huge.status == 413 && huge.code == "PAYLOAD_TOO_LARGE")
            #expect(try await vault.send(.POST, "/auth/login", json: "{").code == "INVALID_INPUT")
            #expect(try await vault.send(.GET, "/health").status == 200)
            let metrics = try await vault.send(.GET, "/metrics")
            #expect(metrics.text.contains("byoky_vault_users 0"))
        }
    }
}
