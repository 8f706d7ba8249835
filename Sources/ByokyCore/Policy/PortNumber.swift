/// A TCP port as the command-line tools take one (`--port`): checked before anything listens, so
/// a number past 65535 is refused instead of being cut down to some other port.
public enum PortNumber {
    /// Why `port` cannot be used, in one line; `nil` when it can.
    ///
    /// - Parameters:
    ///   - option: The option's name, as the user typed it.
    ///   - allowsAny: Whether 0 (the system picks a free port) is allowed; not for a port written
    ///     into a service's configuration.
    public static func problem(with port: Int, option: String = "--port", allowsAny: Bool = true) -> String? {
        let lowest = allowsAny ? 0 : 1
        return (lowest...65535).contains(port) ? nil : "\(option) must be \(lowest) to 65535"
    }
}
