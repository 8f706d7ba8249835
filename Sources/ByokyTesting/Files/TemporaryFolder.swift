import Foundation

/// A fresh folder under the system's temporary directory, removed by ``remove()``.
package struct TemporaryFolder: Sendable {
    package let path: String

    package init(prefix: String = "byoky-test") throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    /// Runs `body` with a new folder and removes the folder afterwards.
    package static func with<Result>(_ body: (TemporaryFolder) async throws -> Result) async throws -> Result {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        return try await body(folder)
    }

    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every byte of every file below the folder.
    package func allFileContents() -> [UInt8] {
        var bytes: [UInt8] = []
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let item = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: path + "/" + item) { bytes += Array(data) }
        }
        return bytes
    }
}
