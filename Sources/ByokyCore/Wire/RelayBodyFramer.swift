/// Turns a streamed response body into `relay:response:chunk` frames: UTF-8 text never cut inside
/// a character, and base64 data once the body proves not to be UTF-8.
package struct RelayBodyFramer: Sendable {
    private let requestID: String
    private var carry = UTF8Carry()

    package init(requestID: String) { self.requestID = requestID }

    /// The frame for `chunk`, or `nil` when it completes nothing yet.
    package mutating func frame(for chunk: some Sequence<UInt8>) -> RelayMessage? {
        if let text = carry.text(for: chunk) {
            return text.isEmpty ? nil : .responseChunk(requestID: requestID, chunk: text)
        }
        return .responseData(requestID: requestID, bytes: carry.takePendingBytes())
    }

    /// The frames that end the body: bytes still held, then `relay:response:done`.
    package mutating func finish() -> [RelayMessage] {
        let rest = carry.takePendingBytes()
        return (rest.isEmpty ? [] : [.responseData(requestID: requestID, bytes: rest)]) + [
            .responseDone(requestID: requestID)
        ]
    }
}
