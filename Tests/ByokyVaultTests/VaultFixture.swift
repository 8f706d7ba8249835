import AsyncHTTPClient
import ByokyCore
import ByokyHTTPServer
import ByokyServerStore
import ByokyTesting
import ByokyVault
import Foundation
import NIOCore
import NIOHTTP1

/// A vault on a loopback port over a real database (a SQLite file, or PostgreSQL when the run has
/// one), with a clock the test moves and a cheap key derivation (the rules are the same).
struct VaultFixture: Sendable {
    let port: Int
    let location: DatabaseLocation
    let time: Locked<Int64>

    struct Answer: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
        var code: String? { (json["error"] as? [String: Any])?["code"] as? String }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
    }

    static let password = "Vault-Fixture-Password-42"
    /// The fixture clock's first reading (Unix ms).
    static let start: Int64 = 1_800_000_000_000

    /// The default configuration changed by `adjust`.
    static func configuration(_ adjust: (inout VaultConfiguration) -> Void) -> VaultConfiguration {
        var configuration = VaultConfiguration()
        adjust(&configuration)
        return configuration
    }

    /// Runs `body` against a vault on a fresh database of the `on` kind; `base` keeps its limits,
    /// while the clock and a cheaper key derivation are the fixture's.
    static func with(
        on kind: TestDatabase = .sqlite,
        _ base: VaultConfiguration = .init(),
        _ body: @Sendable (VaultFixture) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let location = try await kind.freshLocation(in: folder, name: "vault")
        let time = Locked<Int64>(start)
        var configuration = base
        configuration.passwordIterations = 100_000
        configuration.clock = { time.withLock { $0 } }
        let store = try await VaultStore.open(location)
        do {
            try await VaultServer(store: store, configuration: configuration).withRunning { port in
                try await body(VaultFixture(port: port, location: location, time: time))
            }
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    func advance(milliseconds: Int64) { time.withLock { $0 += milliseconds } }

    func send(
        _ method: HTTPMethod,
        _ path: String,
        json: String? = nil,
        token: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(body.readableBytesView)
        )
    }

    static func credentials(_ username: String, _ password: String = VaultFixture.password) -> String {
        let object = ["username": username, "password": password]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func signUp(_ username: String) async throws -> Answer {
        try await send(.POST, "/auth/signup", json: Self.credentials(username))
    }

    func logIn(
        _ username: String,
        _ password: String = VaultFixture.password,
        from address: String? = nil
    )
        async throws -> Answer
    {
        try await send(
            .POST,
            "/auth/login",
            json: Self.credentials(username, password),
            headers: address.map { [("x-forwarded-for", $0)] } ?? []
        )
    }
}
