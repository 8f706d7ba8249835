package import NIOCore

/// A server connection's one timer for its client's silence: every `timeout` it looks whether
/// the connection waited on its client since the last look with nothing new (no progress noted),
/// and closes it then. A connection is closed between one and two times `timeout` after its
/// client last sent something; one busy answering is never closed for it.
///
/// A look that ran late (the event loop was held up) looks again shortly before it closes
/// (``LateTimerCheck``): the client's bytes may be waiting in the socket.
///
/// Used on the connection's event loop only, by one handler, which says when the connection
/// is waiting on its client, and stops it when it leaves the pipeline (the timer holds the
/// handler's closures until then).
package final class ClientSilenceTimer {
    private let timeout: TimeAmount
    private var progress = 0
    private var progressAtLastLook = 0
    private var look: Scheduled<Void>?
    private var lookDue = NIODeadline.now()
    private var lateCheck = LateTimerCheck()
    private var isStopped = false

    package init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Something came from the client, or an answer to it ended.
    package func noteProgress() {
        progress &+= 1
    }

    /// Starts looking (nothing when it already does or was stopped): `isWaitingOnClient` says
    /// whether the connection waits on its client now, `close` closes it.
    package func start(
        on loop: any EventLoop,
        isWaitingOnClient: @escaping () -> Bool,
        close: @escaping () -> Void
    ) {
        guard look == nil, !isStopped else { return }
        schedule(at: .now() + timeout, on: loop) { [self] now in
            guard isWaitingOnClient(), progress == progressAtLastLook else {
                lateCheck.reset()
                progressAtLastLook = progress
                return now + timeout
            }
            guard lateCheck.shouldLookAgain(due: lookDue, now: now) else {
                stop()
                close()
                return nil
            }
            return now + LateTimerCheck.tolerance
        }
    }

    /// Stops for good (the connection closed, or the handler left it).
    package func stop() {
        isStopped = true
        look?.cancel()
        look = nil
    }

    /// Looks at `due`, and again when the look says when.
    private func schedule(
        at due: NIODeadline,
        on loop: any EventLoop,
        looking: @escaping (NIODeadline) -> NIODeadline?
    ) {
        lookDue = due
        look = loop.assumeIsolated().scheduleTask(deadline: due) {
            self.look = nil
            guard !self.isStopped, let next = looking(.now()) else { return }
            self.schedule(at: next, on: loop, looking: looking)
        }
    }
}
