public import Foundation

/// Where a server keeps its data: one SQLite file (the default) or a PostgreSQL database.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    /// A `postgres://user@host:port/database` URL; the password travels apart from it.
    case postgres(url: String, password: String?)

    /// Reads a `postgres://` (or `postgresql://`) URL as given on a command line or in `DATABASE_URL`.
    ///
    /// A password inside a URL given on the command line would be visible to every user of the machine
    /// (`ps`), so `fromCommandLine` URLs must not carry one: it comes from `password` (`PGPASSWORD`)
    /// instead.
    ///
    /// - Throws: ``DatabaseLocationError`` naming what to change.
    public static func postgres(
        url text: String,
        password: String?,
        fromCommandLine: Bool
    ) throws(DatabaseLocationError) -> DatabaseLocation {
        guard var parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
            ["postgres", "postgresql"].contains(scheme), let host = parts.host, !host.isEmpty
        else {
            throw DatabaseLocationError("The database URL must look like postgres://user@host:5432/database")
        }
        guard parts.user?.isEmpty == false else {
            throw DatabaseLocationError("The database URL must name a user: postgres://user@host:5432/database")
        }
        var secret = password?.isEmpty == false ? password : nil
        if let inURL = parts.password {
            if fromCommandLine {
                throw DatabaseLocationError(
                    "Leave the password out of --database-url (others can read a command line): "
                        + "set PGPASSWORD, or pass the whole URL in DATABASE_URL"
                )
            }
            secret = inURL.removingPercentEncoding ?? inURL
            parts.password = nil
        }
        parts.scheme = "postgres"
        return .postgres(url: parts.string ?? text, password: secret)
    }

    /// The location a server's `--data`, `--database-url` and environment name together:
    /// `--database-url`, else `DATABASE_URL`, else the SQLite file `fileName` under `dataFolder`.
    public static func choose(
        dataFolder: String,
        fileName: String,
        databaseURL: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DatabaseLocationError) -> DatabaseLocation {
        let password = environment["PGPASSWORD"]
        if let databaseURL {
            return try .postgres(url: databaseURL, password: password, fromCommandLine: true)
        }
        if let fromEnvironment = environment["DATABASE_URL"], !fromEnvironment.isEmpty {
            return try .postgres(url: fromEnvironment, password: password, fromCommandLine: false)
        }
        return .sqliteFile(path: dataFolder + "/" + fileName)
    }

    /// ``choose(dataFolder:fileName:databaseURL:environment:)``, creating the data folder when the
    /// choice is the SQLite file (what a server does at start).
    public static func prepare(
        dataFolder: String,
        fileName: String,
        databaseURL: String?
    ) throws(DatabaseLocationError) -> DatabaseLocation {
        let location = try choose(dataFolder: dataFolder, fileName: fileName, databaseURL: databaseURL)
        if case .sqliteFile = location {
            do {
                try FileManager.default.createDirectory(atPath: dataFolder, withIntermediateDirectories: true)
            } catch {
                throw DatabaseLocationError(
                    "Cannot create the data folder \(dataFolder) — check its parent's permissions"
                )
            }
        }
        return location
    }

    /// Where it is, for logs and messages: never the password.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "SQLite file \(path)"
        case .postgres(let url, _): "PostgreSQL \(url)"
        }
    }
}

/// A database location that cannot be used, with what to change.
public struct DatabaseLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
