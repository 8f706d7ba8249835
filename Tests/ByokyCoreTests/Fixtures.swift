import Foundation

/// Reads files from `Tests/ByokyCoreTests/Fixtures`.
enum Fixtures {
    static func data(_ path: String) throws -> Data {
        guard let root = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: root.appendingPathComponent("Fixtures").appendingPathComponent(path))
    }

    static func json(_ path: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data(path)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }
}
