import AsyncHTTPClient
import ByokyTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `byoky-vault` as an operator runs it: it starts on its data folder, answers, stops on SIGTERM,
/// and keeps its accounts across a restart.
@Suite(.timeLimit(.minutes(2)))
struct VaultCommandTests {
    static func post(_ port: Int, _ path: String, _ json: String) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test func theVaultServesAndKeepsItsAccountsAcrossARestart() async throws {
        try await TemporaryFolder.with { folder in
            let credentials = #"{"username":"ops_1","password":"Vault-Command-Password-7"}"#
            let first = try CommandLineTests.server("byoky-vault", "--data", folder.path + "/vault")
            let port = try await first.announcedPort()
            let health = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"),
                timeout: .seconds(10)
            )
            #expect(health.status == .ok)
            #expect(try await Self.post(port, "/auth/signup", credentials).0 == 201)
            #expect(await first.terminate() == 0)

            let second = try CommandLineTests.server("byoky-vault", "--data", folder.path + "/vault")
            defer { second.killAbruptly() }
            let (status, body) = try await Self.post(try await second.announcedPort(), "/auth/login", credentials)
            #expect(status == 200 && body.contains("bvl_"))

            let withPassword = try await ProcessRunner.run(
                CommandLineTests.executable.deletingLastPathComponent().appendingPathComponent("byoky-vault"),
                arguments: ["--database-url", "postgres://ops:secret@127.0.0.1/vault"]
            )
            #expect(withPassword.status != 0 && withPassword.stderr.contains("PGPASSWORD"), "\(withPassword.stderr)")
            #expect(!withPassword.stderr.contains("secret"))
        }
    }
}
