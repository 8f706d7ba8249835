import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// `byoky service` writes a unit that starts the wallet at login without its password
/// (`serve --locked`), checked by `systemd-analyze verify` where it exists and by Python's plist
/// reader for the macOS agent; and `serve --locked` is unlocked afterwards by `byoky unlock`.
@Suite(.timeLimit(.minutes(3)))
struct ServiceCommandTests {
    @Test func installStatusAndUninstallAUserUnit() async throws {
        try await WalletCommandTests.Home.with { home in
            // A wallet folder with a space and systemd's specifier and variable signs in its name.
            let walletFolder = home.folder.path + "/my wallet %h $HOME"
            let environment = [
                "HOME": home.folder.path, "XDG_CONFIG_HOME": home.folder.path + "/config", "BYOKY_HOME": walletFolder,
            ]
            func service(_ arguments: [String]) async throws -> ProcessRunner.Output {
                try await home.byoky(["service"] + arguments, extraEnvironment: environment)
            }
            let unitPath = home.folder.path + "/config/systemd/user/byoky.service"
            let installed = try await service(["install", "--no-start", "--port", "19555"])
            #expect(installed.status == 0, "\(installed.stderr)")
            #expect(installed.stdout.contains("Wrote \(unitPath)."))
            #expect(installed.stdout.contains("byoky open"))
            let unit = try String(contentsOfFile: unitPath, encoding: .utf8)
            let executable = CommandLineTests.executable.resolvingSymlinksInPath().path
            #expect(unit.contains("ExecStart=\"\(executable)\" serve --locked --port 19555\n"))
            #expect(unit.contains("Environment=\"BYOKY_HOME=\(home.folder.path)/my wallet %%h $$HOME\"\n"))
            #expect(unit.contains("WantedBy=default.target"))
            #expect(!unit.contains("password"))
            if let analyze = SystemTool.path("systemd-analyze") {
                let verified = try await ProcessRunner.run(
                    URL(fileURLWithPath: analyze),
                    arguments: ["verify", unitPath]
                )
                #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            }

            let again = try await service(["install", "--no-start"])
            #expect(again.status == 1)
            #expect(again.stderr.contains("--force"))
            #expect(try await service(["install", "--no-start", "--force", "--port", "19556"]).status == 0)
            #expect(try String(contentsOfFile: unitPath, encoding: .utf8).contains("--port 19556"))

            let status = try await service(["status", "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            )
            #expect(report["installed"] as? Bool == true)
            #expect(report["path"] as? String == unitPath)
            #expect(report["running"] as? Bool == false)

            let removed = try await service(["uninstall", "--no-stop"])
            #expect(removed.status == 0, "\(removed.stderr)")
            #expect(!FileManager.default.fileExists(atPath: unitPath))
            let twice = try await service(["uninstall", "--no-stop"])
            #expect(twice.status == 1)
            #expect(twice.stderr.contains("not installed"))
        }
    }

    @Test func theMacOSAgentIsAPlistThatRunsTheWalletLocked() async throws {
        try await WalletCommandTests.Home.with(initialized: false) { home in
            let printed = try await home.byoky(
                ["service", "install", "--print", "--for", "launchd"],
                extraEnvironment: ["BYOKY_HOME": home.folder.path + "/a <b> & c"]
            )
            #expect(printed.status == 0, "\(printed.stderr)")
            let reader = "import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))"
            let parsed = try await ProcessRunner.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                arguments: ["python3", "-c", reader],
                input: printed.stdout
            )
            #expect(parsed.status == 0, "\(parsed.stderr)")
            let plist = try #require(try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])
            #expect(plist["Label"] as? String == "com.byoky.wallet")
            let arguments = try #require(plist["ProgramArguments"] as? [String])
            #expect(arguments.dropFirst() == ["serve", "--locked", "--port", "19280"])
            #expect(plist["RunAtLoad"] as? Bool == true)
            let variables = try #require(plist["EnvironmentVariables"] as? [String: String])
            #expect(variables["BYOKY_HOME"] == home.folder.path + "/a <b> & c")
            // --for only prints.
            #expect(try await home.byoky(["service", "install", "--for", "launchd"]).status != 0)
        }
    }

    @Test func aWalletServedLockedIsUnlockedWithoutItsPasswordOnTheCommandLine() async throws {
        try await WalletCommandTests.Home.with { home in
            // No password file, no terminal: a locked start asks for nothing.
            let daemon = try BackgroundProcess(
                CommandLineTests.executable,
                arguments: ["serve", "--locked", "--port", "0"],
                environment: home.environment
            )
            defer { daemon.killAbruptly() }
            let port = try await daemon.announcedPort()
            #expect(try await daemon.waitForOutput(containing: "Locked: unlock with").contains("byoky unlock"))
            func locked() async throws -> Bool? {
                let health = try await ProcessRunner.run(
                    URL(fileURLWithPath: "/usr/bin/env"),
                    arguments: [
                        "python3", "-c",
                        "import json,urllib.request;print(json.load(urllib.request.urlopen('http://127.0.0.1:\(port)/v1/health'))['locked'])",
                    ]
                )
                return ["True": true, "False": false][health.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]
            }
            #expect(try await locked() == true)
            let wrongFile = home.folder.path + "/wrong-password"
            try "not the password\n".write(toFile: wrongFile, atomically: true, encoding: .utf8)
            let wrong = try await home.byoky(["unlock", "--password-file", wrongFile])
            #expect(wrong.status != 0)
            #expect(wrong.stderr.lowercased().contains("wrong"), "\(wrong.stderr)")
            #expect(try await locked() == true)
            let unlocked = try await home.byoky(["unlock", "--password-file", home.passwordFile])
            #expect(unlocked.status == 0, "\(unlocked.stderr)")
            #expect(try await locked() == false)
            await daemon.terminate()
        }
    }
}

/// A tool on `PATH`, for checks that only run where it is installed.
enum SystemTool {
    static func path(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
