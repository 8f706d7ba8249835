import ByokyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owner-only files and folders for everything the wallet writes.
package enum FilePermissions {
    /// Creates `path` and any missing parents with mode 0700, and tightens an existing folder to 0700.
    package static func makeOwnerOnlyFolder(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw ByokyError(.internalError, "Cannot create the folder \(current)")
            }
        }
        chmod(path, 0o700)
    }

    /// Sets `path` to mode 0600 if it exists.
    package static func restrictToOwner(_ path: String) {
        chmod(path, 0o600)
    }

    /// The permission bits of `path`, or `nil` when it does not exist.
    package static func mode(of path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o777
    }
}
