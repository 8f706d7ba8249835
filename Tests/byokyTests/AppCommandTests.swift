import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// `byoky app …` as a developer uses it: the manifest written from flags and from a real
/// terminal's prompts (tmux), validation of good and bad apps (folder and served), and submission
/// through review on a real marketplace, with `byoky-marketplace review`.
@Suite(.timeLimit(.minutes(5)))
struct AppCommandTests {
    static let flags = [
        "--name", "Pocket Chat", "--url", "https://chat.example.com/", "--description", "Chat through your wallet.",
        "--category", "chat", "--providers", "anthropic", "--author-name", "Ana", "--author-email", "ana@example.com",
        "--author-website", "",
    ]

    func byoky(_ arguments: [String], input: String? = nil) async throws -> ProcessRunner.Output {
        try await ProcessRunner.run(CommandLineTests.executable, arguments: arguments, input: input ?? "")
    }

    static func sibling(_ name: String) -> URL {
        CommandLineTests.executable.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// A small app in `folder`: a page with a privacy link and a script using byoky.js.
    static func writeApp(in folder: String, script: String, privacy: Bool = true) throws {
        let page =
            "<!doctype html><title>Pocket Chat</title><script type=\"module\" src=\"app.js\"></script>"
            + (privacy ? "<a href=\"privacy.html\">Privacy policy</a>" : "")
        try page.write(toFile: folder + "/index.html", atomically: true, encoding: .utf8)
        try "We keep nothing.".write(toFile: folder + "/privacy.html", atomically: true, encoding: .utf8)
        try script.write(toFile: folder + "/app.js", atomically: true, encoding: .utf8)
    }

    static let goodScript = """
        import { Byoky } from "./byoky.js";
        const session = await new Byoky().connect({ providers: [{ id: "anthropic", required: true }] });
        const answer = await session.createFetch("anthropic")("https://api.anthropic.com/v1/messages", { method: "POST" });
        """

    @Test func initFromFlagsWritesAValidManifestAndKeepsAnExistingOne() async throws {
        try await TemporaryFolder.with { folder in
            let written = try await byoky(["app", "init", "--dir", folder.path] + Self.flags)
            #expect(written.status == 0, "\(written.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/byoky.app.json"))
            let manifest = try AppManifest.read(Array(data))
            #expect(manifest.slug == "pocket-chat")  // the default, from the name
            #expect(manifest.icon == "icon.svg")
            #expect(manifest.author.website == nil)

            let again = try await byoky(["app", "init", "--dir", folder.path] + Self.flags)
            #expect(again.status != 0)
            #expect(again.stderr.contains("--force"))
            let insecure = Self.flags.map { $0 == "https://chat.example.com/" ? "http://chat.example.com/" : $0 }
            let bad = try await byoky(["app", "init", "--dir", folder.path, "--force"] + insecure)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("--url: must use https"), "\(bad.stderr)")
        }
    }

    @Test(arguments: ["chat", "multi-provider"])
    func createWritesAWorkingProjectThatValidates(template: String) async throws {
        try await TemporaryFolder.with { folder in
            let author = ["--author-name", "Ana", "--author-email", "ana@example.com", "--author-website", ""]
            let created = try await byoky(
                ["app", "create", "Pocket <Chat>", "--template", template, "--parent", folder.path] + author
            )
            #expect(created.status == 0, "\(created.stderr)")
            let app = folder.path + "/pocket-chat"
            for file in [
                "index.html", "app.js", "style.css", "privacy.html", "icon.svg", "README.md", ".gitignore",
                "byoky/byoky.js", "byoky/byoky.d.ts", "byoky.app.json",
            ] {
                #expect(FileManager.default.fileExists(atPath: app + "/" + file), "\(template): \(file)")
            }
            let page = try String(contentsOfFile: app + "/index.html", encoding: .utf8)
            #expect(page.contains("<title>Pocket &lt;Chat&gt;</title>"))
            let script = try String(contentsOfFile: app + "/app.js", encoding: .utf8)
            #expect(script.contains("appName: 'Pocket \\u003cChat\\u003e'"))
            #expect(try String(contentsOfFile: app + "/.gitignore", encoding: .utf8).contains(".byoky/"))
            let manifest = try AppManifest.read(
                Array(try Data(contentsOf: URL(fileURLWithPath: app + "/byoky.app.json")))
            )
            #expect(manifest.providers == ["anthropic", "openai"])
            #expect(manifest.url == "https://pocket-chat.example.com/")
            let validated = try await byoky(["app", "validate", app, "--offline"])
            #expect(validated.status == 0, "\(validated.stdout)")

            let again = try await byoky(
                ["app", "create", "Pocket <Chat>", "--template", template, "--parent", folder.path] + author
            )
            #expect(again.status != 0)
            #expect(again.stderr.contains("exists"))
            let unknown = try await byoky(
                ["app", "create", "X App", "--template", "php", "--parent", folder.path] + author
            )
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("chat, multi-provider or backend-relay"))
        }
    }

    /// The backend-relay template's files (scripts/test.sh also builds one and Chromium drives it:
    /// BrowserSDKTests' `template.backend-relay`).
    @Test func theBackendRelayTemplateIsAServerWithItsPageAndNamesItsByokyPackage() async throws {
        try await TemporaryFolder.with { folder in
            let author = ["--author-name", "Ana", "--author-email", "ana@example.com", "--author-website", ""]
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            func create(_ name: String, _ extra: [String]) async throws -> ProcessRunner.Output {
                try await byoky(
                    ["app", "create", name, "--template", "backend-relay", "--parent", folder.path] + author + extra
                )
            }
            let missing = try await create("Relay \"Desk\"", [])
            #expect(missing.status != 0 && missing.stderr.contains("--byoky-package"), "\(missing.stderr)")
            let nowhere = try await create("Relay \"Desk\"", ["--byoky-package", folder.path])
            #expect(nowhere.status != 0 && nowhere.stderr.contains("no Package.swift"), "\(nowhere.stderr)")
            let created = try await create("Relay \"Desk\"", ["--byoky-package", root])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("swift run App"))
            let app = folder.path + "/relay-desk"
            for file in [
                "Package.swift", "Sources/App/main.swift", "README.md", ".gitignore", "byoky.app.json",
                "public/index.html", "public/app.js", "public/style.css", "public/privacy.html", "public/icon.svg",
                "public/byoky/byoky.js", "public/byoky/byoky.d.ts",
            ] {
                #expect(FileManager.default.fileExists(atPath: app + "/" + file), "\(file)")
            }
            #expect(!FileManager.default.fileExists(atPath: app + "/byoky"))
            let package = try String(contentsOfFile: app + "/Package.swift", encoding: .utf8)
            #expect(package.contains(".package(name: \"byoky-swift\", path: \"\(root)\")"))
            #expect(package.contains("name: \"relay-desk\""))
            let server = try String(contentsOfFile: app + "/Sources/App/main.swift", encoding: .utf8)
            #expect(server.contains(#"Relay \"Desk\" at http://127.0.0.1"#))
            let ignored = try String(contentsOfFile: app + "/.gitignore", encoding: .utf8)
            #expect(ignored.contains(".build/") && ignored.contains(".byoky/") && ignored.contains("Package.resolved"))
            let manifest = try AppManifest.read(
                Array(try Data(contentsOf: URL(fileURLWithPath: app + "/byoky.app.json")))
            )
            #expect(manifest.providers == ["anthropic"] && manifest.category == .productivity)
            let validated = try await byoky(["app", "validate", app, "--offline"])
            #expect(validated.status == 0, "\(validated.stdout)")
            #expect(validated.stdout.contains("privacy"))

            let fromGit = try await create(
                "Relay Git",
                ["--byoky-package", "https://git.example.com/byoky-swift.git"]
            )
            #expect(fromGit.status == 0, "\(fromGit.stderr)")
            let gitPackage = try String(contentsOfFile: folder.path + "/relay-git/Package.swift", encoding: .utf8)
            #expect(gitPackage.contains(#".package(url: "https://git.example.com/byoky-swift.git", branch: "main")"#))
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")))
    func initAsksInARealTerminalAndAsksAgainUntilAnAnswerIsValid() async throws {
        try await TemporaryFolder.with { folder in
            let tmux = Tmux()
            defer { tmux.stop() }
            let command = "\(CommandLineTests.executable.path) app init --dir \(folder.path)/app; sleep 3"
            try await tmux.start(command)
            func screen() async throws -> String { try await tmux.run(["capture-pane", "-p", "-t", tmux.session]) }
            /// Waits for `prompt` to show (as the newest prompt), then types `answer` and Enter.
            func answer(_ prompt: String, _ answer: String) async throws {
                for _ in 0..<200 {
                    let lines = try await screen().split(separator: "\n").map(String.init)
                    if lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })?.hasPrefix(prompt)
                        == true
                    {
                        _ = try await tmux.run(["send-keys", "-t", tmux.session, "-l", answer])
                        _ = try await tmux.run(["send-keys", "-t", tmux.session, "Enter"])
                        try await Task.sleep(for: .milliseconds(150))
                        return
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                Issue.record("never asked \(prompt); the screen: \(try await screen())")
            }
            try await answer("Name [app]:", "Pocket Chat")
            try await answer("Slug [pocket-chat]:", "Not A Slug")
            try await answer("Slug [pocket-chat]:", "")
            try await answer("URL (https)", "http://chat.example.com")
            try await answer("URL (https)", "https://chat.example.com/")
            try await answer("Icon [icon.svg]:", "")
            try await answer("Description:", "Chat through your wallet.")
            try await answer("Category", "games")
            try await answer("Category", "chat")
            try await answer("Providers", "anthropic, skynet")
            try await answer("Providers", "anthropic, openai")
            try await answer("Author name:", "Ana")
            try await answer("Author email:", "ana-at-example")
            try await answer("Author email:", "ana@example.com")
            try await answer("Author website", "")
            // The pane lives 3 s after `init` ends (then tmux ends by itself): read it before.
            var shown = ""
            for _ in 0..<100 {
                shown = try await screen()
                if shown.contains("Wrote ") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            // Each refusal said what to change, and the prompt came back.
            #expect(shown.contains("3 to 40 lower-case letters"))
            #expect(shown.contains("must use https"))
            #expect(shown.contains("one of chat, coding"))
            #expect(shown.contains("unknown provider \"skynet\""))
            #expect(shown.contains("an email address such as"))
            let manifest = try AppManifest.read(
                Array(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/app/byoky.app.json")))
            )
            #expect(manifest.slug == "pocket-chat")
            #expect(manifest.providers == ["anthropic", "openai"])
            #expect(manifest.category == .chat)
        }
    }

    @Test func validateSaysWhatPassesAndWhatFailsForFoldersAndServedApps() async throws {
        try await TemporaryFolder.with { folder in
            let good = folder.path + "/good"
            try FileManager.default.createDirectory(atPath: good, withIntermediateDirectories: true)
            #expect(try await byoky(["app", "init", "--dir", good] + Self.flags).status == 0)
            try Self.writeApp(in: good, script: Self.goodScript)
            let passing = try await byoky(["app", "validate", good, "--offline"])
            #expect(passing.status == 0, "\(passing.stdout)")
            #expect(passing.stdout.contains("pass  sdk:") && passing.stdout.contains("pass  providers:"))
            #expect(passing.stdout.contains("skip  https:"))

            let bad = folder.path + "/bad"
            try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true)
            #expect(try await byoky(["app", "init", "--dir", bad] + Self.flags).status == 0)
            try Self.writeApp(
                in: bad,
                script: Self.goodScript + """

                    const direct = await fetch("https://api.openai.com/v1/chat/completions");
                    const more = session.createFetch("gemini");
                    eval(atob("YWxlcnQoMSk="));
                    """,
                privacy: false
            )
            let failing = try await byoky(["app", "validate", bad, "--offline", "--json"])
            #expect(failing.status == 1)
            let checks = try JSONSerialization.jsonObject(with: Data(failing.stdout.utf8)) as? [[String: Any]] ?? []
            let failed = Dictionary(
                uniqueKeysWithValues: checks.filter { $0["passed"] as? Bool == false }.map {
                    ($0["name"] as? String ?? "", $0["detail"] as? String ?? "")
                }
            )
            #expect(failed["sdk"]?.contains("app.js:4 calls api.openai.com directly") == true, "\(failed)")
            #expect(failed["providers"]?.contains("asks for gemini") == true, "\(failed)")
            #expect(failed["obfuscation"]?.contains("eval") == true, "\(failed)")
            #expect(failed["privacy"] != nil)

            // A wrong category in the manifest stops it at the first check.
            let manifestPath = bad + "/byoky.app.json"
            let text = try String(contentsOfFile: manifestPath, encoding: .utf8).replacingOccurrences(
                of: "\"chat\"",
                with: "\"games\""
            )
            try text.write(toFile: manifestPath, atomically: true, encoding: .utf8)
            let wrong = try await byoky(["app", "validate", bad])
            #expect(wrong.status == 1)
            #expect(wrong.stdout.contains("FAIL  manifest: category: one of chat"), "\(wrong.stdout)")

            // Served by `byoky app serve`: fetched like a published app (http on loopback fails https).
            let served = try BackgroundProcess(
                CommandLineTests.executable,
                arguments: ["app", "serve", good, "--port", "0"]
            )
            let port = try await served.announcedPort()
            let local = try String(contentsOfFile: good + "/byoky.app.json", encoding: .utf8)
                .replacingOccurrences(of: "https://chat.example.com/", with: "http://127.0.0.1:\(port)/")
            try local.write(toFile: good + "/byoky.app.json", atomically: true, encoding: .utf8)
            let online = try await byoky(["app", "validate", "http://127.0.0.1:\(port)/", "--allow-loopback"])
            #expect(online.status == 1)
            #expect(
                online.stdout.contains("FAIL  https: http://127.0.0.1:\(port)/ is not served over https"),
                "\(online.stdout)"
            )
            #expect(
                online.stdout.contains("pass  privacy: http://127.0.0.1:\(port)/privacy.html answers"),
                "\(online.stdout)"
            )
            #expect(online.stdout.contains("pass  sdk:"), "\(online.stdout)")
            await served.terminate()
        }
    }

    @Test func anAppIsSubmittedReviewedAndItsStateFollowed() async throws {
        try await TemporaryFolder.with { folder in
            let adminFile = folder.path + "/admin.token"
            let adminToken = SecureRandom.base64URLToken(byteCount: 24)
            try adminToken.write(toFile: adminFile, atomically: true, encoding: .utf8)
            let market = try BackgroundProcess(
                Self.sibling("byoky-marketplace"),
                arguments: ["--port", "0", "--data", folder.path + "/market", "--admin-token-file", adminFile]
            )
            let board = "http://127.0.0.1:\(try await market.announcedPort())"
            let app = folder.path + "/app"
            try FileManager.default.createDirectory(atPath: app, withIntermediateDirectories: true)
            #expect(try await byoky(["app", "init", "--dir", app] + Self.flags).status == 0)

            let submitted = try await byoky(["app", "submit", app, "--marketplace", board])
            #expect(submitted.status == 0, "\(submitted.stderr)")
            #expect(submitted.stdout.contains("Submitted pocket-chat: id "))
            #expect(submitted.stdout.contains(", pending."))
            let record = try String(contentsOfFile: app + "/.byoky/submission.json", encoding: .utf8)
            let attributes = try FileManager.default.attributesOfItem(atPath: app + "/.byoky/submission.json")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(!submitted.stdout.contains("bks_") && record.contains("bks_"))

            // Someone else cannot take the slug.
            let other = folder.path + "/other"
            try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
            #expect(try await byoky(["app", "init", "--dir", other] + Self.flags).status == 0)
            let stolen = try await byoky(["app", "submit", other, "--marketplace", board])
            #expect(stolen.status == 1)
            #expect(stolen.stderr.contains("is taken"), "\(stolen.stderr)")

            let review = Self.sibling("byoky-marketplace")
            let listed = try await ProcessRunner.run(
                review,
                arguments: ["review", "list", "--marketplace", board, "--admin-token-file", adminFile, "--json"]
            )
            let pending = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
            let id = try #require(pending.first?["id"] as? String, "\(listed.stdout) \(listed.stderr)")
            let wrongToken = try await ProcessRunner.run(
                review,
                arguments: ["review", "approve", id, "--marketplace", board],
                input: "not-the-admin-token\n"
            )
            #expect(wrongToken.status != 0)
            #expect(wrongToken.stderr.contains("admin token"), "\(wrongToken.stderr)")

            let rejected = try await ProcessRunner.run(
                review,
                arguments: ["review", "reject", id, "--reason", "Add a privacy policy", "--marketplace", board],
                input: adminToken + "\n"
            )
            #expect(rejected.status == 0, "\(rejected.stderr)")
            #expect(rejected.stdout.contains("now rejected"))
            let status = try await byoky(["app", "status", app])
            #expect(
                status.stdout.contains("pocket-chat: rejected — Add a privacy policy"),
                "\(status.stdout) \(status.stderr)"
            )

            // A new version goes back to review (the stored token proves it is the same submitter).
            let again = try await byoky(["app", "submit", app, "--marketplace", board])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await byoky(["app", "status", app]).stdout.contains("pocket-chat: pending"))
            let approved = try await ProcessRunner.run(
                review,
                arguments: ["review", "approve", id, "--marketplace", board, "--admin-token-file", adminFile]
            )
            #expect(approved.stdout.contains("now approved"), "\(approved.stderr)")
            #expect(
                try await byoky(["app", "status", id, "--marketplace", board]).stdout.contains("pocket-chat: approved")
            )
            await market.terminate()
        }
    }
}

/// tmux on a socket of its own, its server started with nothing of the test's open: a server that
/// inherited the test's output pipes would hold them open, and reading them would never end.
struct Tmux {
    static let executable = URL(fileURLWithPath: "/usr/bin/tmux")
    let socket = "byoky-test-\(ProcessInfo.processInfo.processIdentifier)-\(Int.random(in: 0..<1_000_000))"
    let session = "app"

    /// Starts the server (a daemon: it gets only /dev/null) with one detached session running
    /// `command` in a 160×50 terminal.
    func start(_ command: String) async throws {
        let quoted = "'" + command.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let started = try await ProcessRunner.runStartingDaemons(
            "exec \(Self.executable.path) -L \(socket) new-session -d -s \(session) -x 160 -y 50 \(quoted)"
                + " </dev/null >/dev/null 2>&1"
        )
        guard started.status == 0 else { throw CocoaError(.executableLoad) }
    }

    /// A command to the running server (its client exits when done).
    func run(_ arguments: [String]) async throws -> String {
        try await ProcessRunner.run(Self.executable, arguments: ["-L", socket] + arguments).stdout
    }

    func stop() {
        _ = try? ProcessRunner.runBlocking(
            URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "\(Self.executable.path) -L \(socket) kill-server </dev/null >/dev/null 2>&1"]
        )
    }
}
