package import ByokyCore
import Synchronization

/// One connection of the wallet serving a relay room as its sender (a hosted gift or a pairing):
/// joins with the socket's `auth`, opens each sealed request with `opener` and serves it as a task
/// of its own, refuses plain requests when `plainRefusal` says why (or serves them: a version 1
/// pairing), and hands every other frame to `onFrame`. The hosts run it in their reconnect loops.
package struct RelayRoomConnection: Sendable {
    /// How a connection ended.
    package enum Outcome: Sendable {
        /// The relay refused the room, saying why.
        case refused(String)
        /// The connection closed (or was closed); `joined` tells whether the room was ever joined.
        case closed(joined: Bool)
    }

    package typealias Send = @Sendable (RelayMessage) -> Void

    package let socket: RelaySenderSocket
    package let opener: SealedRequestServer?
    /// Why a request that is not end-to-end sealed is refused; `nil` serves it.
    package let plainRefusal: ByokyError?

    package init(socket: RelaySenderSocket, opener: SealedRequestServer?, plainRefusal: ByokyError?) {
        self.socket = socket
        self.opener = opener
        self.plainRefusal = plainRefusal
    }

    /// Runs the connection until it closes.
    ///
    /// - Parameters:
    ///   - onJoined: the room is joined; `send` reaches the room.
    ///   - onFrame: any frame not handled here (peer status, acknowledgements).
    ///   - serve: serves one request; answer frames go through `reply` (sealed for a sealed request).
    /// - Throws: when the relay cannot be reached.
    package func run(
        onJoined: @escaping @Sendable (_ send: @escaping Send) -> Void,
        onFrame: @escaping @Sendable (RelayMessage, _ send: @escaping Send) -> Void = { _, _ in },
        serve: @escaping @Sendable (RelayRequest, _ send: @escaping Send, _ reply: @escaping Send) async -> Void
    ) async throws -> Outcome {
        let refusal = Mutex<String?>(nil)
        let joined = Mutex(false)
        let requests = socket.requests
        let opener = self.opener
        let plainRefusal = self.plainRefusal
        try await socket.run { frame, send in
            switch frame {
            case .authResult(let success, let error, _):
                guard success else {
                    refusal.withLock { $0 = error ?? "the relay refused the room" }
                    return false
                }
                joined.withLock { $0 = true }
                onJoined(send)
            case .sealedRequest(let requestID, let encapsulatedKey, let ciphertext):
                guard
                    let (request, sendSealed) = opener?.open(
                        requestID: requestID,
                        encapsulatedKey: encapsulatedKey,
                        ciphertext: ciphertext,
                        send: send
                    )
                else { break }
                requests.start(requestID) { await serve(request, send, sendSealed) }
            case .request(let request):
                if let plainRefusal {
                    send(RelayResponder.errorFrame(requestID: request.requestID, plainRefusal))
                } else {
                    requests.start(request.requestID) { await serve(request, send, send) }
                }
            default:
                onFrame(frame, send)
            }
            return true
        }
        if let reason = refusal.withLock({ $0 }) { return .refused(reason) }
        return .closed(joined: joined.withLock { $0 })
    }
}
