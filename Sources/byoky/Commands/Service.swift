import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation
import NIOHTTP1

extension ByokyCommand {
    /// `byoky service install|uninstall|status`.
    struct Service: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the wallet at login (a systemd user unit on Linux, a launchd agent on macOS).",
            discussion: """
                The service runs `byoky serve --locked`: it never reads your master password.
                Unlock it after login with `byoky open` (the wallet page asks) or `byoky
                unlock`.
                """,
            subcommands: [Install.self, Uninstall.self, Status.self]
        )

        /// The running `byoky` binary, resolved (the unit must name it by absolute path).
        static var executablePath: String {
            #if os(Linux)
            if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                return resolved
            }
            #endif
            return Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
        }

        static func unit(port: Int, kind: ServiceUnit.Kind? = nil) -> ServiceUnit {
            let environment = ProcessInfo.processInfo.environment
            switch kind {
            case .systemd?: return ServiceUnit.systemd(executable: executablePath, port: port, environment: environment)
            case .launchd?: return ServiceUnit.launchd(executable: executablePath, port: port, environment: environment)
            case nil: return ServiceUnit.forThisSystem(executable: executablePath, port: port, environment: environment)
            }
        }

        /// Asks the system to start (or stop) the unit now; says what to run when it cannot.
        static func manage(_ unit: ServiceUnit, start: Bool) -> String {
            let steps: [(String, [String])]
            switch unit.kind {
            case .systemd:
                steps =
                    start
                    ? [
                        ("systemctl", ["--user", "daemon-reload"]),
                        ("systemctl", ["--user", "enable", "--now", ServiceUnit.systemdName]),
                    ]
                    : [("systemctl", ["--user", "disable", "--now", ServiceUnit.systemdName])]
            case .launchd:
                let domain = "gui/\(getuid())"
                steps =
                    start
                    ? [("launchctl", ["bootstrap", domain, unit.path])]
                    : [("launchctl", ["bootout", "\(domain)/\(ServiceUnit.launchdLabel)"])]
            }
            for (tool, arguments) in steps {
                let command = ([tool] + arguments).joined(separator: " ")
                guard let outcome = SystemCommand.run(tool, arguments) else {
                    return "\(tool) is not installed here; run `\(command)` where it is."
                }
                guard outcome.succeeded else {
                    let reason =
                        outcome.output.split(separator: "\n").first.map(String.init) ?? "status \(outcome.status)"
                    return "`\(command)` failed (\(reason)); run it yourself once that is fixed."
                }
            }
            return start ? "Started; it starts again at each login." : "Stopped."
        }

        struct Install: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write the unit (or agent) and start it.",
                discussion: "Replaces nothing unless --force. With --print, shows the file and writes nothing."
            )
            @Option(help: "Port of the bridge the service serves.") var port = 19280
            @Flag(help: "Write the file but do not start it now.") var noStart = false
            @Flag(help: "Replace an installed unit.") var force = false
            @Flag(name: .customLong("print"), help: "Print the file instead of writing it.") var printOnly = false
            @Option(name: .customLong("for"), help: .hidden) var system: ServiceUnit.Kind?
            @OptionGroup var options: WalletOptions

            func validate() throws {
                if let problem = PortNumber.problem(with: port, allowsAny: false) { throw ValidationError(problem) }
                if system != nil, !printOnly { throw ValidationError("--for works only with --print") }
            }

            func run() async throws {
                try await reportingErrors {
                    let unit = Service.unit(port: port, kind: system)
                    if printOnly {
                        print(unit.contents, terminator: "")
                        return
                    }
                    let manager = FileManager.default
                    guard force || !manager.fileExists(atPath: unit.path) else {
                        throw ByokyError(.invalidRequest, "\(unit.path) exists; pass --force to replace it")
                    }
                    let folder = (unit.path as NSString).deletingLastPathComponent
                    do {
                        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                        try Data(unit.contents.utf8).write(to: URL(fileURLWithPath: unit.path), options: .atomic)
                    } catch {
                        throw ByokyError(.internalError, "Cannot write \(unit.path); check that folder's permissions")
                    }
                    print("Wrote \(unit.path).")
                    let wallet = try await Wallet.open(home: options.home)
                    let initialized = (try? await wallet.isInitialized()) ?? false
                    try? await wallet.close()
                    if !initialized { print("No wallet yet: run `byoky init` before the service starts.") }
                    if noStart {
                        print("Not started (--no-start).")
                    } else {
                        print(Service.manage(unit, start: true))
                    }
                    print("Unlock it after login with `byoky open` or `byoky unlock`.")
                }
            }
        }

        struct Uninstall: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop the service and remove its file.")
            @Flag(help: "Remove the file without asking the system to stop the service.") var noStop = false

            func run() async throws {
                try await reportingErrors {
                    let unit = Service.unit(port: 19280)
                    guard FileManager.default.fileExists(atPath: unit.path) else {
                        throw ByokyError(.notFound, "byoky is not installed as a service (no \(unit.path))")
                    }
                    if !noStop { print(Service.manage(unit, start: false)) }
                    do {
                        try FileManager.default.removeItem(atPath: unit.path)
                    } catch {
                        throw ByokyError(.internalError, "Cannot remove \(unit.path); check that folder's permissions")
                    }
                    if unit.kind == .systemd, !noStop {
                        _ = SystemCommand.run("systemctl", ["--user", "daemon-reload"])
                    }
                    print("Removed \(unit.path).")
                }
            }
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Say whether the service is installed and whether the wallet runs."
            )
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            struct Report: Encodable {
                let installed: Bool
                let path: String
                let running: Bool
                let unlocked: Bool?
                /// What systemd or launchd says, when it answers.
                let system: String?
            }

            func run() async throws {
                try await reportingErrors {
                    let unit = Service.unit(port: 19280)
                    let state = await ControlClient.runningStatus(home: options.home)
                    let system: String? =
                        switch unit.kind {
                        case .systemd:
                            SystemCommand.run("systemctl", ["--user", "is-active", ServiceUnit.systemdName])?.output
                        case .launchd:
                            SystemCommand.run("launchctl", ["print", "gui/\(getuid())/\(ServiceUnit.launchdLabel)"])
                                .map { $0.succeeded ? "loaded" : "not loaded" }
                        }
                    let report = Report(
                        installed: FileManager.default.fileExists(atPath: unit.path),
                        path: unit.path,
                        running: state != nil,
                        unlocked: state?.unlocked,
                        system: system.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
                    )
                    if json { return try printJSON(report) }
                    print(
                        report.installed
                            ? "Installed: \(report.path)"
                            : "Not installed (`byoky service install` starts it at login)."
                    )
                    if let system = report.system { print("System says: \(system)") }
                    switch report.unlocked {
                    case nil: print("Wallet: not running.")
                    case false?: print("Wallet: running, locked (`byoky open` or `byoky unlock`).")
                    case true?: print("Wallet: running, unlocked.")
                    }
                }
            }
        }
    }
}
