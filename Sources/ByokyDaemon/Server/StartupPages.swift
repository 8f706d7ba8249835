#if os(Linux)
import Foundation
import Glibc

/// Lets a long-running process (`byoky serve`) give back the pages of its own executable that only
/// startup touched (argument parsing, the store's migrations, key derivation, relocation
/// tables). Only mappings of the executable that cannot be written and hold no page that was
/// ever written (code, constants — never the data or the relocated RELRO pages) are released:
/// their pages stay in the page cache, so whatever the daemon runs again comes back on first
/// touch as a minor fault, with the same bytes.
public enum StartupPages {
    /// One mapping from `/proc/self/smaps`.
    public struct Mapping: Equatable, Sendable {
        public var start: UInt
        public var end: UInt
        public var permissions: String
        public var path: String
        /// Pages of it that were written (copies of the file's, or new): never released.
        public var anonymousKiB = 0
    }

    /// The mappings `smaps` lists.
    public static func mappings(smaps text: String) -> [Mapping] {
        var mappings: [Mapping] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, fields.count >= 5, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-")
                guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16)
                else { continue }
                let path = fields.count > 5 ? fields[5...].joined(separator: " ") : ""
                mappings.append(Mapping(start: start, end: end, permissions: String(fields[1]), path: path))
            } else if fields.first == "Anonymous:", fields.count >= 2, let kib = Int(fields[1]), !mappings.isEmpty {
                mappings[mappings.count - 1].anonymousKiB = kib
            }
        }
        return mappings
    }

    /// The mappings of `executable` that may be released: not writable, no page ever written.
    public static func releasable(_ mappings: [Mapping], executable: String) -> [Mapping] {
        mappings.filter { $0.path == executable && !$0.permissions.contains("w") && $0.anonymousKiB == 0 }
    }

    /// Releases the executable's untouched read-only pages from this process's resident set.
    /// - Returns: the bytes of address space advised.
    @discardableResult
    public static func release() -> Int {
        guard let smaps = try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8),
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        else { return 0 }
        var advised = 0
        for mapping in releasable(mappings(smaps: smaps), executable: executable) {
            let length = Int(mapping.end - mapping.start)
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), length, MADV_DONTNEED) == 0 {
                advised += length
            }
        }
        return advised
    }
}
#endif
