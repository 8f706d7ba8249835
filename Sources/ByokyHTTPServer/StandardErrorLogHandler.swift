package import Logging

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A log handler that writes to standard error and does no work for messages below its level.
///
/// swift-log's `StreamLogHandler` formats its metadata every time metadata is set, and the HTTP
/// server sets a request id on every request's logger: at thousands of requests a second that is
/// measurable work for messages a quiet server never prints. This handler keeps metadata as given
/// and formats it only when a message is actually written.
package struct StandardErrorLogHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    private let label: String

    package init(label: String, logLevel: Logger.Level = .warning) {
        self.label = label
        self.logLevel = logLevel
    }

    /// A logger with this handler.
    package static func logger(label: String, level: Logger.Level = .warning) -> Logger {
        Logger(label: label) { StandardErrorLogHandler(label: $0, logLevel: level) }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(label) \(event.level): \(event.message)\(fields.isEmpty ? "" : " " + fields)\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
