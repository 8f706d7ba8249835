/// The folder that holds a wallet's state: `$BYOKY_HOME`, else `$XDG_DATA_HOME/byoky`, else
/// `~/.local/share/byoky`.
public struct WalletHome: Sendable, Hashable {
    /// The folder.
    public let path: String

    public init(path: String) {
        self.path = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    }

    /// The folder named by the environment.
    public static func fromEnvironment(_ environment: [String: String]) -> WalletHome {
        if let home = environment["BYOKY_HOME"], !home.isEmpty { return WalletHome(path: home) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return WalletHome(path: data + "/byoky") }
        return WalletHome(path: (environment["HOME"] ?? ".") + "/.local/share/byoky")
    }

    /// The SQLite database.
    public var databasePath: String { path + "/wallet.sqlite" }
    /// The owner's control socket of a running daemon.
    public var controlSocketPath: String { path + "/control.sock" }
}
