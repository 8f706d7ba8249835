/// `Expect: 100-continue` (RFC 9110 §10.1.1): a client that sends it waits for an interim
/// `100 Continue` before it sends the body, and only after a second or so sends it anyway. curl
/// asks so for bodies over 1 MiB (older libcurl, and the clients built on it, over 1 KiB): a
/// server that never answers it adds that wait to every such request.
public enum ContinueExpectation {
    /// The interim answer, written before the body is read.
    public static let interimAnswer: StaticString = "HTTP/1.1 100 Continue\r\n\r\n"

    /// Whether an `Expect` value asks for `100 Continue` (in any letter case). Other
    /// expectations are left alone: a server may ignore them.
    public static func isAsked(byExpectValue value: String) -> Bool {
        HeaderText.name(value, is: "100-continue")
    }

    /// Whether a request's `fields` ask for `100 Continue`; `minorVersion`: the request is
    /// HTTP/1.`minorVersion` (an HTTP/1.0 request's expectation is ignored, as the RFC says).
    /// Inlinable, so the caller's module specializes it for its own header type: every request
    /// passes here, and a generic walk of the fields cost several thousand instructions.
    @inlinable
    public static func isAsked(minorVersion: Int, fields: some Sequence<(name: String, value: String)>) -> Bool {
        guard minorVersion >= 1 else { return false }
        return fields.contains { HeaderText.name($0.name, is: "expect") && isAsked(byExpectValue: $0.value) }
    }
}
