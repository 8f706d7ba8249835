import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation

/// Options shared by commands that open the wallet.
struct WalletOptions: ParsableArguments {
    @Option(
        name: .customLong("password-file"),
        help: "File whose first line is the master password (or set BYOKY_PASSWORD_FILE). Default: ask."
    )
    var passwordFile: String?

    /// `$BYOKY_HOME`, `$XDG_DATA_HOME/byoky` or `~/.local/share/byoky`.
    var home: WalletHome { WalletHome.fromEnvironment(ProcessInfo.processInfo.environment) }

    /// Opens the wallet; with `unlock`, asks for the password and unlocks it.
    func openWallet(unlock: Bool = false) async throws -> Wallet {
        let wallet = try await Wallet.open(home: home)
        do {
            guard try await wallet.isInitialized() else {
                throw ByokyError(.invalidRequest, "No wallet in \(home.path) yet — run `byoky init` first")
            }
            if unlock { try await wallet.unlock(password: try SecretInput.password(file: passwordFile)) }
            return wallet
        } catch {
            try? await wallet.close()
            throw error
        }
    }
}

/// Runs `body` with an open wallet and closes it afterwards, turning wallet errors into one line.
///
/// With `changes`, a running daemon is told afterwards so it drops its cached reads at once.
func withWallet<Result>(
    _ options: WalletOptions,
    unlock: Bool = false,
    changes: Bool = false,
    _ body: (Wallet) async throws -> Result
) async throws -> Result {
    let wallet = try await options.openWallet(unlock: unlock)
    do {
        let result = try await body(wallet)
        try await wallet.close()
        if changes { await ControlClient(home: options.home).announceChange() }
        return result
    } catch {
        try? await wallet.close()
        throw error
    }
}

/// Runs an owner command through a running daemon when one answers (it applies the change at
/// once and needs no password), else on the store itself with `store`.
///
/// With `changes`, the store path tells a daemon that starts meanwhile to drop its cached reads.
func throughDaemon<Answer: Decodable>(
    _ options: WalletOptions,
    _ request: () throws -> ControlRequest,
    changes: Bool = false,
    orStore store: (Wallet) async throws -> Answer
) async throws -> Answer {
    if let daemon = await ControlClient.runningDaemon(home: options.home) {
        return try await daemon.send(try request(), as: Answer.self)
    }
    return try await withWallet(options, changes: changes, store)
}

extension ByokyError {
    /// The error as the one line the CLI prints.
    var commandLineError: ValidationError { ValidationError(message) }
}

/// Runs `body`, printing a ``ByokyError`` as one line and exiting 1.
func reportingErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let error as ByokyError {
        FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

/// Prints `value` as JSON on standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints a listing: JSON with `json`, `empty` when there is nothing, else one row per item,
/// `columns` of it under `headers` (``printTable(headers:rows:)``).
func printListing<Item: Encodable>(
    _ items: [Item],
    json: Bool,
    empty: String,
    headers: [String],
    columns: (Item) -> [String]
) throws {
    if json { return try printJSON(items) }
    if items.isEmpty { return print(empty) }
    printTable(headers: headers, rows: items.map(columns))
}

/// Prints rows in columns under `headers` when standard output is a terminal, else one
/// tab-separated line a row with no header, for scripts (``TerminalTable``).
func printTable(headers: [String], rows: [[String]]) {
    let aligned = isatty(STDOUT_FILENO) == 1
    for line in TerminalTable(headers: headers, rows: rows).lines(aligned: aligned) { print(line) }
}

/// A Unix-milliseconds time for people: `2026-11-27 14:05 UTC`.
func formatTime(_ milliseconds: Int64) -> String {
    let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    return date.formatted(
        Date.VerbatimFormatStyle(
            format:
                "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits) UTC",
            timeZone: .gmt,
            calendar: Calendar(identifier: .gregorian)
        )
    )
}
