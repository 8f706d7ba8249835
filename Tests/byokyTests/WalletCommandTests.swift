import ByokyTesting
import Foundation
import Testing

/// The `byoky` command as an owner uses it: a real binary, a real wallet folder, real servers.
@Suite(.timeLimit(.minutes(2)))
struct WalletCommandTests {
    static let password = "Command-Line-Pass-42"

    /// A wallet folder with a password file, and a way to run `byoky` against it.
    struct Home {
        let folder: TemporaryFolder
        var passwordFile: String { folder.path + "/password" }
        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["BYOKY_HOME"] = folder.path + "/wallet"
            environment["BYOKY_PASSWORD_FILE"] = nil
            return environment
        }

        func byoky(
            _ arguments: [String],
            input: String? = nil,
            extraEnvironment: [String: String] = [:]
        ) async throws -> ProcessRunner.Output {
            try await ProcessRunner.run(
                CommandLineTests.executable,
                arguments: arguments,
                input: input,
                environment: environment.merging(extraEnvironment) { $1 }
            )
        }

        /// `byoky serve` on a free port with this wallet's password file and `arguments`.
        func startServing(_ arguments: [String] = []) throws -> BackgroundProcess {
            try BackgroundProcess(
                CommandLineTests.executable,
                arguments: ["serve", "--port", "0", "--password-file", passwordFile] + arguments,
                environment: environment
            )
        }

        /// A running mock provider, a key for it in this wallet, and `byoky serve` on a free port.
        struct Serving {
            let mock: BackgroundProcess
            let daemon: BackgroundProcess
            let port: Int
        }

        /// Starts the mock provider (checking `upstreamKey`), stores that key for `provider` with
        /// the mock as its base URL, and starts the daemon.
        func serveWithMock(
            provider: String = "anthropic",
            upstreamKey: String,
            // A catalogue that is not there (nothing in a test reaches the internet) unless named.
            serveArguments: [String] = ["--marketplace", "http://127.0.0.1:9"]
        ) async throws -> Serving {
            let upstreamKeyFile = folder.path + "/upstream"
            try "\(upstreamKey)\n".write(toFile: upstreamKeyFile, atomically: true, encoding: .utf8)
            let mock = try CommandLineTests.server("byoky-mock-provider", "--api-key-file", upstreamKeyFile)
            let mockPort = try await mock.announcedPort()
            let added = try await byoky(
                [
                    "key", "add", provider, "--base-url", "http://127.0.0.1:\(mockPort)", "--password-file",
                    passwordFile,
                ],
                input: "\(upstreamKey)\n"
            )
            #expect(added.status == 0, "\(added.stderr)")
            let daemon = try startServing(serveArguments)
            return Serving(mock: mock, daemon: daemon, port: try await daemon.announcedPort())
        }

        static func with(initialized: Bool = true, _ body: (Home) async throws -> Void) async throws {
            try await TemporaryFolder.with { folder in
                let home = Home(folder: folder)
                try "\(password)\n".write(toFile: home.passwordFile, atomically: true, encoding: .utf8)
                if initialized {
                    let result = try await home.byoky(["init", "--password-file", home.passwordFile])
                    #expect(result.status == 0, "\(result.stderr)")
                }
                try await body(home)
            }
        }
    }

    /// Listings line up under a header for a person at a terminal (a pseudo-terminal from
    /// `script`), and stay tab-separated, with no header, in a pipe.
    @Test func listingsLineUpOnATerminalAndStayTabSeparatedInAPipe() async throws {
        try await Home.with { home in
            for (provider, key, extra) in [
                ("anthropic", "sk-ant-api03-LISTING-1234", [String]()),
                ("azure_openai", "azure-LISTING-5678", ["--base-url", "https://example.openai.azure.com"]),
            ] {
                let added = try await home.byoky(
                    ["key", "add", provider, "--password-file", home.passwordFile] + extra,
                    input: key + "\n"
                )
                #expect(added.status == 0, "\(added.stderr)")
            }
            let piped = try await home.byoky(["key", "list", "--password-file", home.passwordFile])
            #expect(
                piped.stdout == "Anthropic\tanthropic\tsk-a...1234\t\n"
                    + "Azure OpenAI\tazure_openai\tazur...5678\thttps://example.openai.azure.com\n",
                "\(piped.stdout)"
            )
            let command = [CommandLineTests.executable.path, "key", "list", "--password-file", home.passwordFile]
                .map { "'\($0)'" }.joined(separator: " ")
            let terminal = try await ProcessRunner.run(
                URL(fileURLWithPath: "/usr/bin/script"),
                arguments: ["-qec", command, "/dev/null"],
                input: "",
                environment: home.environment
            )
            #expect(terminal.status == 0, "\(terminal.stderr)")
            let lines = terminal.stdout.split(separator: "\r\n").map(String.init)
            #expect(
                lines == [
                    "KEY           PROVIDER      MASKED       BASE URL",
                    "Anthropic     anthropic     sk-a...1234",
                    "Azure OpenAI  azure_openai  azur...5678  https://example.openai.azure.com",
                ],
                "\(lines)"
            )
        }
    }

    @Test func setUpStoreAndManageKeys() async throws {
        try await Home.with(initialized: false) { home in
            let before = try await home.byoky(["key", "list"])
            #expect(before.status == 1)
            #expect(before.stderr.contains("byoky init"))

            let weakFile = home.folder.path + "/weak"
            try "short\n".write(toFile: weakFile, atomically: true, encoding: .utf8)
            let weak = try await home.byoky(["init", "--password-file", weakFile])
            #expect(weak.status != 0)
            #expect(weak.stderr.contains("too weak"))

            #expect(try await home.byoky(["init", "--password-file", home.passwordFile]).status == 0)
            let again = try await home.byoky(["init", "--password-file", home.passwordFile])
            #expect(again.status == 1)
            #expect(again.stderr.contains("already exists"))

            let add = try await home.byoky(
                ["key", "add", "anthropic", "--password-file", home.passwordFile],
                input: "sk-ant-api03-CLIKEY-123456\n"
            )
            #expect(add.status == 0, "\(add.stderr)")
            #expect(add.stdout.contains("Added \"Anthropic\" (anthropic, sk-a...3456)"))

            let wrongFile = home.folder.path + "/wrong"
            try "Not-The-Password-99\n".write(toFile: wrongFile, atomically: true, encoding: .utf8)
            let wrong = try await home.byoky(["key", "add", "openai", "--password-file", wrongFile], input: "sk-x\n")
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("Wrong master password"))

            let azure = try await home.byoky(
                ["key", "add", "azure_openai", "--password-file", home.passwordFile],
                input: "az-key\n"
            )
            #expect(azure.status == 1)
            #expect(azure.stderr.contains("--base-url"))

            let list = try await home.byoky(["key", "list", "--json"])
            #expect(list.status == 0)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["masked"] as? String == "sk-a...3456")
            #expect(!list.stdout.contains("CLIKEY"))

            #expect(try await home.byoky(["key", "rename", "Anthropic", "work"]).status == 0)
            #expect(try await home.byoky(["key", "list"]).stdout.hasPrefix("work\tanthropic"))
            #expect(try await home.byoky(["key", "remove", "work"]).status == 0)
            #expect(try await home.byoky(["key", "list"]).stdout.contains("No keys yet"))
            let newPassword = home.folder.path + "/new-password"
            try "Brand-New-Password-55\n".write(toFile: newPassword, atomically: true, encoding: .utf8)
            let changed = try await home.byoky([
                "passwd", "--password-file", home.passwordFile, "--new-password-file", newPassword,
            ])
            #expect(changed.status == 0, "\(changed.stderr)")
            let oldRefused = try await home.byoky(
                ["key", "add", "openai", "--password-file", home.passwordFile],
                input: "sk-x\n"
            )
            #expect(oldRefused.stderr.contains("Wrong master password"))
            let newWorks = try await home.byoky(
                ["key", "add", "openai", "--password-file", newPassword],
                input: "sk-x\n"
            )
            #expect(newWorks.status == 0, "\(newWorks.stderr)")
            #expect(try await home.byoky(["key", "remove", "OpenAI"]).status == 0)
            let limit = try await home.byoky(["limit", "set", "my-app", "5000", "--period", "day"])
            #expect(limit.status == 0, "\(limit.stderr)")
            #expect(try await home.byoky(["limit", "list"]).stdout.contains("my-app\tall\tper day\t0 / 5000 tokens"))
            let badPeriod = try await home.byoky(["limit", "set", "my-app", "5", "--period", "week"])
            #expect(badPeriod.status != 0)
            #expect(badPeriod.stderr.contains("lifetime, day or month"))
            #expect(try await home.byoky(["limit", "remove", "my-app", "--period", "day"]).status == 0)
            #expect(try await home.byoky(["limit", "list"]).stdout.contains("No limits set"))
            let status = try await home.byoky(["status", "--json"])
            #expect(status.stdout.contains("\"keys\" : 0"))
            let log = try await home.byoky(["log"])
            #expect(log.stdout.contains("No requests yet"))
        }
    }

    @Test func execHandsTheCommandASessionNotAKeyAndRevokesIt() async throws {
        try await Home.with { home in
            _ = try await home.byoky(
                ["key", "add", "openai", "--password-file", home.passwordFile],
                input: "sk-proj-EXEC\n"
            )
            let out = home.folder.path + "/env"
            let result = try await home.byoky([
                "exec", "--app", "env-dump", "--", "/bin/sh", "-c",
                "printf '%s %s %s' \"$OPENAI_BASE_URL\" \"$OPENAI_API_KEY\" \"$ANTHROPIC_BASE_URL\" > \(out)",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let parts = try String(contentsOfFile: out, encoding: .utf8).split(separator: " ").map(String.init)
            #expect(parts.count == 3)
            #expect(parts.first == "http://127.0.0.1:19280/openai/v1")
            #expect(parts.dropFirst().first?.hasPrefix("byk_") == true)
            #expect(parts.last == "http://127.0.0.1:19280/anthropic")

            let sessions = try await home.byoky(["sessions", "--json"])
            let items = try #require(
                try JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) as? [[String: Any]]
            )
            #expect(items.first?["app"] as? String == "env-dump")
            #expect(items.first?["revoked"] as? Bool == true)
            // `byoky apps` is the App Store now: sessions are not installed apps.
            let installed = try await home.byoky(["apps", "list", "--json"])
            #expect(installed.status == 0, "\(installed.stderr)")
            #expect((try? JSONSerialization.jsonObject(with: Data(installed.stdout.utf8)) as? [Any])?.isEmpty == true)

            let keep = home.folder.path + "/keep"
            let longRunning = try await home.byoky([
                "exec", "--app", "second", "--", "/bin/sh", "-c", "printf '%s' \"$OPENAI_API_KEY\" > \(keep)",
            ])
            #expect(longRunning.status == 0)
            #expect(try await home.byoky(["revoke"]).status != 0)
            let revokedAll = try await home.byoky(["revoke", "--all"])
            #expect(revokedAll.stdout.contains("Revoked 0 session(s)."))
            let failing = try await home.byoky(["exec", "--", "/bin/sh", "-c", "exit 3"])
            #expect(failing.status == 3)
            let nothing = try await home.byoky(["exec"])
            #expect(nothing.status != 0)
            #expect(nothing.stderr.contains("after --"))
        }
    }

    /// A Python program that sends `content` to Claude through the bridge `byoky exec` gives it,
    /// with the standard library only, and prints the answer's text.
    static func anthropicMessageScript(_ content: String) -> String {
        """
        import json, os, urllib.request
        body = json.dumps({"model": "claude-sonnet-4-6", "max_tokens": 32,
                           "messages": [{"role": "user", "content": "\(content)"}]}).encode()
        request = urllib.request.Request(os.environ["ANTHROPIC_BASE_URL"] + "/v1/messages", data=body,
            headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"], "content-type": "application/json"})
        print(json.load(urllib.request.urlopen(request))["content"][0]["text"])
        """
    }

    @Test func serveAnswersAToolThroughTheRealDaemonAndStopsCleanly() async throws {
        try await Home.with { home in
            let serving = try await home.serveWithMock(upstreamKey: "sk-upstream-SERVE")
            let (mock, daemon, port) = (serving.mock, serving.daemon, serving.port)
            let script = Self.anthropicMessageScript("through serve")
            let run = try await home.byoky([
                "exec", "--app", "py-tool", "--bridge", "http://127.0.0.1:\(port)", "--", "python3", "-c", script,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("Mock reply to: through serve"))

            let log = try await home.byoky(["log"])
            #expect(log.stdout.contains("py-tool\tanthropic\tclaude-sonnet-4-6\t200"))
            let usage = try await home.byoky(["usage", "--period", "day"])
            #expect(usage.stdout.contains("py-tool\tanthropic\t1 request\t"))
            #expect(try await home.byoky(["log", "--app", "nobody"]).stdout.contains("No requests yet"))

            // An app asks to connect; the owner sees it and approves it from another terminal.
            let connect = """
                import json, sys, urllib.request
                body = json.dumps({"app": {"name": "Py app"}, "providers": [{"id": "anthropic", "required": True}]}).encode()
                request = urllib.request.Request(sys.argv[1] + "/v1/connect", data=body, headers={"content-type": "application/json"})
                print(json.load(urllib.request.urlopen(request))["requestId"])
                """
            let asked = try await ProcessRunner.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                arguments: ["python3", "-c", connect, "http://127.0.0.1:\(port)"]
            )
            let requestID = asked.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!requestID.isEmpty, "\(asked.stderr)")
            _ = try await daemon.waitForOutput(containing: "byoky approve \(requestID)")
            #expect(
                try await home.byoky(["pending"]).stdout.contains(
                    "\"Py app\" (unverified name) asks for anthropic (required)"
                )
            )
            let approved = try await home.byoky(["approve"])
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(approved.stdout.contains("Approved: the app may use anthropic."))
            #expect(try await home.byoky(["pending"]).stdout.contains("No apps are waiting"))

            let lock = try await home.byoky(["lock"])
            #expect(lock.status == 0, "\(lock.stderr)")
            let lockedRun = try await home.byoky([
                "exec", "--bridge", "http://127.0.0.1:\(port)", "--", "python3", "-c", script,
            ])
            #expect(lockedRun.status != 0)
            let wrongFile = home.folder.path + "/wrong-unlock"
            try "Wrong-Password-Here-1\n".write(toFile: wrongFile, atomically: true, encoding: .utf8)
            let refused = try await home.byoky(["unlock", "--password-file", wrongFile])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("Wrong master password"))
            #expect(try await home.byoky(["unlock", "--password-file", home.passwordFile]).stdout.contains("Unlocked"))

            // A change made from another terminal reaches the running daemon at once.
            #expect(try await home.byoky(["key", "remove", "Anthropic"]).status == 0)
            let afterRemoval = try await home.byoky([
                "exec", "--bridge", "http://127.0.0.1:\(port)", "--", "python3", "-c", script,
            ])
            #expect(afterRemoval.status != 0)
            #expect(afterRemoval.stderr.contains("403"))
            #expect(await daemon.terminate() == 0)
            await mock.terminate()
            #expect(!daemon.printed.contains("sk-upstream"))
            let stopped = try await home.byoky(["pending"])
            #expect(stopped.status == 1)
            #expect(stopped.stderr.contains("start it with `byoky serve`"))
        }
    }

    @Test func importsTheExtensionsBackupFormatAndExportsItAgain() async throws {
        try await Home.with { home in
            let fixture = CommandLineTests.packageRoot.appendingPathComponent(
                "Tests/ByokyCoreTests/Fixtures/crypto/vectors.json"
            )
            let vectors = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any]
            )
            let backup = try #require(vectors["backup"] as? [String: Any])
            let file = home.folder.path + "/extension.byoky"
            try (backup["file"] as? String ?? "").write(toFile: file, atomically: true, encoding: .utf8)
            let exportPassword = home.folder.path + "/export-password"
            try "\(backup["password"] as? String ?? "")\n".write(
                toFile: exportPassword,
                atomically: true,
                encoding: .utf8
            )

            let imported = try await home.byoky([
                "import", file, "--export-password-file", exportPassword, "--password-file", home.passwordFile,
            ])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Imported 3 key(s); 0 already in the wallet."))
            let list = try await home.byoky(["key", "list"])
            #expect(list.stdout.contains("Azure\tazure_openai\tazur...TURE\thttps://example.openai.azure.com"))

            let again = try await home.byoky([
                "import", file, "--export-password-file", exportPassword, "--password-file", home.passwordFile,
            ])
            #expect(again.stdout.contains("Imported 0 key(s); 3 already in the wallet."))
            let wrong = try await home.byoky([
                "import", file, "--export-password-file", home.passwordFile, "--password-file", home.passwordFile,
            ])
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("Wrong password or corrupted file"))

            let out = home.folder.path + "/out.byoky"
            let exported = try await home.byoky([
                "export", out, "--export-password-file", exportPassword, "--password-file", home.passwordFile,
            ])
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.contains("Exported 3 key(s)"))
            let attributes = try FileManager.default.attributesOfItem(atPath: out)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let refused = try await home.byoky([
                "export", out, "--export-password-file", exportPassword, "--password-file", home.passwordFile,
            ])
            #expect(refused.stderr.contains("--force"))
        }
    }

    /// A backup's password, and the new password of `passwd`, never come from the wallet's own
    /// password file: they are read from their own file, standard input or a prompt.
    /// `key add` arguments the wallet would refuse, and what the refusal says.
    static let keysThatCannotBeAdded: [(arguments: [String], says: String)] = [
        (["nosuch"], "Unknown provider \"nosuch\""),
        (["azure_openai"], "Azure OpenAI needs --base-url"),
        (["openai", "--base-url", "ftp://example.com"], "Unsupported URL scheme"),
    ]

    /// A key that cannot be added is refused before anything is asked for (the master password,
    /// the key), whether the wallet is opened by the command or a running daemon takes the key:
    /// nobody types a secret for nothing. Standard input is empty and no password is given, so a
    /// prompt or a read before the check would fail differently.
    @Test(arguments: keysThatCannotBeAdded)
    func aKeyThatCannotBeAddedIsRefusedBeforeAnythingIsAsked(arguments: [String], says: String) async throws {
        try await Home.with { home in
            let local = try await home.byoky(["key", "add"] + arguments, input: "")
            #expect(local.status == 1)
            #expect(local.stderr.hasPrefix("Error: \(says)"), "\(local.stderr)")
            let serving = try await home.serveWithMock(upstreamKey: "sk-upstream-KEYS")
            let throughDaemon = try await home.byoky(["key", "add"] + arguments, input: "")
            #expect(throughDaemon.status == 1)
            #expect(throughDaemon.stderr.hasPrefix("Error: \(says)"), "\(throughDaemon.stderr)")
            let list = try await home.byoky(["key", "list", "--json"])
            #expect(!list.stdout.contains("\"provider\" : \"\(arguments[0])\""), "\(list.stdout)")
            #expect(await serving.daemon.terminate() == 0)
            _ = await serving.mock.terminate()
        }
    }

    /// What was pasted around a key (`export NAME=`, quotes, a stray control character) is
    /// refused with the reason, whether the command opens the wallet or a running daemon takes
    /// the key; nothing is stored.
    @Test func whatIsPastedAroundAKeyIsRefused() async throws {
        try await Home.with { home in
            let pastes = [
                (
                    "export OPENAI_API_KEY=sk-proj-PASTED\n",
                    "Error: The key has a space, line break or control character"
                ),
                ("\"sk-proj-PASTED\"\n", "Error: The key is in quotes"),
                ("sk-proj-\u{01}PASTED\n", "Error: The key has a space, line break or control character"),
            ]
            for (input, says) in pastes {
                let local = try await home.byoky(
                    ["key", "add", "openai", "--password-file", home.passwordFile],
                    input: input
                )
                #expect(local.status == 1)
                #expect(local.stderr.hasPrefix(says), "\(local.stderr)")
            }
            let serving = try await home.serveWithMock(upstreamKey: "sk-upstream-PASTE")
            for (input, says) in pastes {
                let throughDaemon = try await home.byoky(["key", "add", "openai"], input: input)
                #expect(throughDaemon.status == 1)
                #expect(throughDaemon.stderr.hasPrefix(says), "\(throughDaemon.stderr)")
            }
            let list = try await home.byoky(["key", "list", "--json"])
            #expect(!list.stdout.contains("\"provider\" : \"openai\""), "\(list.stdout)")
            #expect(await serving.daemon.terminate() == 0)
            _ = await serving.mock.terminate()
        }
    }

    /// A label already taken is refused before the key is asked for, whether the command opens
    /// the wallet or a running daemon takes the key (standard input is empty: a read first would
    /// fail differently).
    @Test func aTakenLabelIsRefusedBeforeTheKeyIsAsked() async throws {
        try await Home.with { home in
            let first = try await home.byoky(
                ["key", "add", "anthropic", "--label", "work", "--password-file", home.passwordFile],
                input: "sk-ant-api03-LABEL-1\n"
            )
            #expect(first.status == 0, "\(first.stderr)")
            let expected = "Error: A key named \"work\" already exists; choose another --label"
            let local = try await home.byoky(
                ["key", "add", "openai", "--label", "work", "--password-file", home.passwordFile],
                input: ""
            )
            #expect(local.status == 1)
            #expect(local.stderr.hasPrefix(expected), "\(local.stderr)")
            let serving = try await home.serveWithMock(upstreamKey: "sk-upstream-LABEL")
            let throughDaemon = try await home.byoky(["key", "add", "openai", "--label", "work"], input: "")
            #expect(throughDaemon.status == 1)
            #expect(throughDaemon.stderr.hasPrefix(expected), "\(throughDaemon.stderr)")
            #expect(await serving.daemon.terminate() == 0)
            _ = await serving.mock.terminate()
        }
    }

    /// `byoky unlock` with no wallet running says so before it asks for the master password
    /// (standard input is empty and no password file is given: a prompt first would fail
    /// differently).
    @Test func unlockWithNoRunningWalletSaysSoBeforeThePassword() async throws {
        try await Home.with { home in
            let result = try await home.byoky(["unlock"], input: "")
            #expect(result.status == 1)
            #expect(
                result.stderr.hasPrefix("Error: No running wallet — start it with `byoky serve`"),
                "\(result.stderr)"
            )
        }
    }

    /// A file that cannot be a backup is refused before any password is asked for: standard
    /// input is empty and no password is given, so a prompt before the check would fail
    /// differently.
    @Test func aFileThatCannotBeABackupIsRefusedBeforeAnyPassword() async throws {
        try await Home.with { home in
            for (name, contents) in [("json", #"{"version": 2}"#), ("short", "c2hvcnQ="), ("empty", "")] {
                let path = home.folder.path + "/\(name).byoky"
                try contents.write(toFile: path, atomically: true, encoding: .utf8)
                let result = try await home.byoky(["import", path], input: "")
                #expect(result.status == 1)
                #expect(result.stderr.hasPrefix("Error: The file is not a .byoky backup"), "\(name): \(result.stderr)")
            }
        }
    }

    @Test func separatePasswordsNeverFallBackToTheMasterPassword() async throws {
        try await Home.with { home in
            let master = ["BYOKY_PASSWORD_FILE": home.passwordFile]
            let added = try await home.byoky(
                ["key", "add", "openai"],
                input: "sk-backup-CANARY-1\n",
                extraEnvironment: master
            )
            #expect(added.status == 0, "\(added.stderr)")
            let out = home.folder.path + "/stdin.byoky"
            let backupPassword = "Backup-Only-Secret-93!"
            let exported = try await home.byoky(
                ["export", out],
                input: backupPassword + "\n",
                extraEnvironment: master
            )
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.contains("Exported 1 key(s)"))

            // Sealed with the password from stdin, not the master password.
            let withMaster = try await home.byoky(
                ["import", out, "--export-password-file", home.passwordFile],
                extraEnvironment: master
            )
            #expect(withMaster.status == 1)
            #expect(withMaster.stderr.contains("Wrong password or corrupted file"))
            let noPassword = try await home.byoky(["import", out], input: "", extraEnvironment: master)
            #expect(noPassword.status != 0)
            #expect(noPassword.stderr.contains("Expected the backup password on standard input"))
            let fromStdin = try await home.byoky(
                ["import", out],
                input: backupPassword + "\n",
                extraEnvironment: master
            )
            #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
            #expect(fromStdin.stdout.contains("Imported 0 key(s); 1 already in the wallet."))
            let weak = try await home.byoky(["export", out, "--force"], input: "short\n", extraEnvironment: master)
            #expect(weak.status != 0)
            #expect(weak.stderr.contains("too weak"))

            // passwd: the new password from stdin, while the old one comes from $BYOKY_PASSWORD_FILE.
            let newPassword = "Another-Master-Pass-61!"
            let changed = try await home.byoky(["passwd"], input: newPassword + "\n", extraEnvironment: master)
            #expect(changed.status == 0, "\(changed.stderr)")
            let newFile = home.folder.path + "/new-password"
            try "\(newPassword)\n".write(toFile: newFile, atomically: true, encoding: .utf8)
            let reopened = try await home.byoky(
                ["export", out, "--force", "--password-file", newFile],
                input: backupPassword + "\n"
            )
            #expect(reopened.status == 0, "\(reopened.stderr)")
            let stale = try await home.byoky(
                ["export", out, "--force"],
                input: backupPassword + "\n",
                extraEnvironment: master
            )
            #expect(stale.status == 1)
        }
    }

    @Test func logRetentionAndPruneFromTheCommandLine() async throws {
        try await Home.with { home in
            let shown = try await home.byoky(["log", "retention"])
            #expect(shown.stdout.contains("The log keeps 90 day(s) of rows."), "\(shown.stderr)")
            let set = try await home.byoky(["log", "retention", "30d"])
            #expect(set.status == 0, "\(set.stderr)")
            #expect(set.stdout.contains("The log keeps 30 day(s) of rows."))
            let pruned = try await home.byoky(["log", "prune", "--older-than", "7d"])
            #expect(pruned.status == 0, "\(pruned.stderr)")
            #expect(pruned.stdout.contains("Removed 0 log row(s) older than 7 day(s)."))
            let bad = try await home.byoky(["log", "prune", "--older-than", "soon"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("--older-than takes a number of days"))
            // `byoky log` alone still lists the log.
            let listed = try await home.byoky(["log", "--limit", "5"])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains("No requests yet."))
        }
    }

    @Test func killingTheDaemonLosesNoAcknowledgedRecord() async throws {
        try await Home.with { home in
            let serving = try await home.serveWithMock(provider: "openai", upstreamKey: "sk-any")
            let (mock, daemon, port) = (serving.mock, serving.daemon, serving.port)
            let script = """
                import json, os, sys, urllib.request
                body = json.dumps({"model": "gpt-5.5", "messages": [{"role": "user", "content": "x"}]}).encode()
                for i in range(int(sys.argv[1])):
                    request = urllib.request.Request(os.environ["OPENAI_BASE_URL"] + "/chat/completions", data=body,
                        headers={"authorization": "Bearer " + os.environ["OPENAI_API_KEY"], "content-type": "application/json"})
                    urllib.request.urlopen(request).read()
                    print(i + 1, flush=True)
                """
            let run = try await home.byoky([
                "exec", "--app", "durable", "--bridge", "http://127.0.0.1:\(port)", "--", "python3", "-c", script, "25",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let acknowledged = run.stdout.split(separator: "\n").count
            #expect(acknowledged == 25)
            daemon.killAbruptly()
            await mock.terminate()
            let log = try await home.byoky(["log", "--limit", "100", "--json"])
            let entries = try #require(
                try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]]
            )
            #expect(entries.filter { $0["appName"] as? String == "durable" }.count == acknowledged)
        }
    }
}

extension WalletCommandTests {
    /// With `byoky serve` running unlocked, key commands go through the control socket: no master
    /// password is asked, and the daemon uses a new key at once.
    @Test(.timeLimit(.minutes(2)))
    func keyCommandsGoThroughARunningDaemon() async throws {
        try await Home.with { home in
            let serve = try home.startServing()
            _ = try await serve.announcedPort()
            // No --password-file and no terminal: only the daemon can take it.
            let added = try await home.byoky(
                ["key", "add", "anthropic", "--label", "via-daemon"],
                input: "sk-ant-DAEMON-123456\n"
            )
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("Added \"via-daemon\" (anthropic, sk-a...3456)"))
            let listed = try await home.byoky(["key", "list", "--json"])
            #expect(listed.stdout.contains("\"via-daemon\""))
            #expect(!listed.stdout.contains("DAEMON"))
            #expect(try await home.byoky(["key", "rename", "via-daemon", "renamed"]).status == 0)
            #expect(try await home.byoky(["key", "list"]).stdout.contains("renamed\tanthropic"))
            let removed = try await home.byoky(["key", "remove", "renamed"])
            #expect(removed.status == 0)
            let missing = try await home.byoky(["key", "remove", "renamed"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("No key named \"renamed\""))
            await serve.terminate()
            // With no daemon, the same command needs the password again.
            let locked = try await home.byoky(["key", "add", "openai"], input: "sk-x\n")
            #expect(locked.status != 0)
            #expect(locked.stderr.contains("password"))
            #expect(!serve.printed.contains("DAEMON"))
        }
    }

    /// Groups, limits, sessions, the log, usage and gift listings go through a running daemon: a
    /// second home that holds nothing but a link to the daemon's control socket (no store, so the
    /// store path would fail) manages the first wallet.
    @Test(.timeLimit(.minutes(2)))
    func ownerCommandsGoThroughARunningDaemon() async throws {
        try await Home.with { home in
            let serving = try await home.serveWithMock(upstreamKey: "sk-upstream-OWNER")
            let (mock, daemon, port) = (serving.mock, serving.daemon, serving.port)
            let script = Self.anthropicMessageScript("hello")
            let run = try await home.byoky([
                "exec", "--app", "py tool", "--bridge", "http://127.0.0.1:\(port)", "--", "python3", "-c", script,
            ])
            #expect(run.status == 0, "\(run.stderr)")

            let remoteFolder = home.folder.path + "/remote"
            try FileManager.default.createDirectory(atPath: remoteFolder, withIntermediateDirectories: false)
            try FileManager.default.createSymbolicLink(
                atPath: remoteFolder + "/control.sock",
                withDestinationPath: home.folder.path + "/wallet/control.sock"
            )
            var environment = home.environment
            environment["BYOKY_HOME"] = remoteFolder
            func remote(_ arguments: [String]) async throws -> ProcessRunner.Output {
                try await ProcessRunner.run(CommandLineTests.executable, arguments: arguments, environment: environment)
            }

            let group = try await remote([
                "group", "add", "fast", "--provider", "anthropic", "--model", "claude-haiku-4-5", "--key", "Anthropic",
            ])
            #expect(group.status == 0, "\(group.stderr)")
            #expect(group.stdout.contains("Created group \"fast\" → anthropic (claude-haiku-4-5)."))
            #expect(try await remote(["group", "assign", "py tool", "fast"]).stdout.contains("now goes through"))
            let groups = try await remote(["group", "list"])
            #expect(groups.stdout.contains("fast\tanthropic\tclaude-haiku-4-5\tAnthropic\tpy tool"), "\(groups)")
            let limit = try await remote(["limit", "set", "py tool", "5000", "--period", "day"])
            #expect(limit.status == 0, "\(limit.stderr)")
            #expect(try await remote(["limit", "list"]).stdout.contains("py tool\tall\tper day\t"))
            let log = try await remote(["log", "--app", "py tool"])
            #expect(log.stdout.contains("py tool\tanthropic\tclaude-sonnet-4-6\t200"), "\(log)")
            #expect(try await remote(["log", "--app", "nobody"]).stdout.contains("No requests yet"))
            let usage = try await remote(["usage", "--period", "day", "--json"])
            #expect(usage.stdout.contains("\"requests\" : 1"), "\(usage)")
            let sessions = try await remote(["sessions", "--json"])
            #expect(sessions.stdout.contains("\"app\" : \"py tool\""), "\(sessions)")
            #expect(try await remote(["revoke", "--all"]).stdout.contains("Revoked 0 session(s)."))
            #expect(try await remote(["gift", "list"]).stdout.contains("No gifts."))
            #expect(try await remote(["gift", "received"]).stdout.contains("No gifts received."))
            let missing = try await remote(["group", "remove", "nothing"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("No group named \"nothing\""))
            #expect(try await remote(["group", "unassign", "py tool"]).stdout.contains("is no longer in a group"))
            #expect(try await remote(["limit", "remove", "py tool", "--period", "day"]).status == 0)
            #expect(try await remote(["group", "remove", "fast"]).status == 0)

            #expect(await daemon.terminate() == 0)
            await mock.terminate()
            // The changes are in the first wallet's store; the second home has none of its own.
            #expect(try await home.byoky(["group", "list"]).stdout.contains("No groups"))
            #expect(try await home.byoky(["limit", "list"]).stdout.contains("No limits set"))
            let alone = try await remote(["group", "list"])
            #expect(alone.status == 1)
            #expect(alone.stderr.contains("byoky init"))
        }
    }
}
