package import Foundation
import Synchronization

/// Runs Python scripts that check Byoky's formats against independent implementations
/// (the `cryptography` package, and later the official provider SDKs).
///
/// The interpreter is `$BYOKY_PYTHON`, else `.venv/bin/python3` at the package root (made by
/// `scripts/setup-python.sh`), else `python3` on the `PATH`. Tests that need it are enabled when
/// an interpreter with the needed modules exists, and always under CI (`CI=true`), so a missing
/// set-up fails CI instead of skipping silently.
package enum PythonInterop {
    /// The package root, found from this file's path.
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The folder of interop scripts.
    package static let scriptsFolder = packageRoot.appendingPathComponent("Tests/Interop")

    /// Whether the tests run under CI.
    package static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The interpreter to use.
    package static var interpreter: String {
        if let configured = ProcessInfo.processInfo.environment["BYOKY_PYTHON"], !configured.isEmpty {
            return configured
        }
        let venv = packageRoot.appendingPathComponent(".venv/bin/python3").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return "/usr/bin/env"
    }

    package static var interpreterArguments: [String] { interpreter == "/usr/bin/env" ? ["python3"] : [] }

    /// Whether an interpreter has every module in `modules` installed. Found without importing
    /// them (importing the provider SDKs takes seconds), and asked once per set of modules: test
    /// traits ask while tests run, on threads the other tests need.
    package static func canImport(_ modules: [String]) -> Bool {
        let key = modules.sorted().joined(separator: ",")
        if let known = importable.withLock({ $0[key] }) { return known }
        let list = modules.map { "'\($0)'" }.joined(separator: ", ")
        let script =
            "import importlib.util, sys; "
            + "sys.exit(0 if all(importlib.util.find_spec(m) is not None for m in [\(list)]) else 1)"
        let answer = (try? runBlocking(arguments: ["-c", script], input: nil)) != nil
        importable.withLock { $0[key] = answer }
        return answer
    }

    private static let importable = Mutex<[String: Bool]>([:])

    /// Whether tests needing `modules` should run: under CI always, elsewhere when available.
    package static func isEnabled(needing modules: [String]) -> Bool {
        isCI || canImport(modules)
    }

    /// Runs `Tests/Interop/<script>` with `arguments`, feeding `input` on standard input.
    ///
    /// - Returns: standard output.
    /// - Throws: ``Failure`` with standard error when the script exits non-zero.
    package static func runScript(
        _ script: String,
        arguments: [String] = [],
        input: String? = nil,
        environment: [String: String]? = nil
    ) async throws -> String {
        let output = try await ProcessRunner.run(
            URL(fileURLWithPath: interpreter),
            arguments: interpreterArguments + [scriptsFolder.appendingPathComponent(script).path] + arguments,
            input: input,
            environment: environment
        )
        guard output.status == 0 else { throw Failure(status: output.status, standardError: output.stderr) }
        return output.stdout
    }

    /// A script that failed.
    package struct Failure: Error, CustomStringConvertible {
        package let status: Int32
        package let standardError: String
        package var description: String { "python exited with \(status): \(standardError)" }
    }

    private static func runBlocking(arguments: [String], input: String?) throws -> String {
        let output = try ProcessRunner.runBlocking(
            URL(fileURLWithPath: interpreter),
            arguments: interpreterArguments + arguments,
            input: input
        )
        guard output.status == 0 else { throw Failure(status: output.status, standardError: output.stderr) }
        return output.stdout
    }
}
