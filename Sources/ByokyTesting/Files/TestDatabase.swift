import ByokyCore
package import ByokyServerStore
import Foundation
import SQLKit

/// The databases a server's suite runs on: SQLite always, and PostgreSQL when
/// `BYOKY_TEST_POSTGRES_URL` names a server (`scripts/test.sh` starts a throw-away one).
package enum TestDatabase: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The kinds this run can use.
    package static var available: [TestDatabase] {
        serverURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var serverURL: String? {
        guard let url = ProcessInfo.processInfo.environment["BYOKY_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    package var description: String { rawValue }

    /// A new, empty database of this kind: a file in `folder`, or a database of its own on the
    /// test server (so tests running side by side never see each other's rows).
    package func freshLocation(in folder: TemporaryFolder, name: String) async throws -> DatabaseLocation {
        switch self {
        case .sqlite:
            return .sqliteFile(path: folder.path + "/\(name).sqlite")
        case .postgres:
            guard let serverURL = Self.serverURL, var parts = URLComponents(string: serverURL) else {
                throw ByokyError(.invalidRequest, "BYOKY_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)")
            }
            let database = "test_" + SecureRandom.hexToken(byteCount: 8)
            let server = try await ServerDatabase.open(
                try .postgres(url: serverURL, password: nil, fromCommandLine: false),
                migrations: []
            )
            do {
                try await server.withSQL { sql in try await sql.raw("CREATE DATABASE \(unsafeRaw: database)").run() }
            } catch {
                try? await server.close()
                throw error
            }
            try await server.close()
            parts.path = "/" + database
            return try .postgres(url: parts.string ?? serverURL, password: nil, fromCommandLine: false)
        }
    }
}
