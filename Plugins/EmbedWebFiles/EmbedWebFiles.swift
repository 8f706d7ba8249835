import Foundation
import PackagePlugin

/// Embeds every file under the package's `Web/` folder into the target as Swift source, so the
/// wallet binary serves its web files (the browser SDK, later its pages) with nothing to install
/// beside it. Runs `byoky-embed-web` whenever a file under `Web/` changes.
@main
struct EmbedWebFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let web = context.package.directoryURL.appending(path: "Web")
        let files = Self.files(under: web)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedWebFiles.swift")
        var arguments = [output.path(percentEncoded: false), web.path(percentEncoded: false)]
        arguments += files.map { $0.path(percentEncoded: false) }
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) web files",
                executable: try context.tool(named: "byoky-embed-web").url,
                arguments: arguments,
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }

    /// Regular files under `folder`, sorted, skipping hidden ones.
    static func files(under folder: URL) -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: folder,
                includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles]
            )
        else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}
