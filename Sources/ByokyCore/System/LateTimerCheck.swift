package import NIOCore

/// Whether a timer that judges a connection's silence ran too late to judge yet.
///
/// An event loop held up by a long task runs the timers that fell due meanwhile before it reads
/// the sockets that filled meanwhile: a silence check that ran late would count bytes already
/// waiting in the socket as silence, and close a connection that was talking. A late check looks
/// again shortly instead (a check due in the future waits for the loop's next read), a few times
/// in a row at most, so a loop held for good still ends silent connections.
package struct LateTimerCheck {
    /// How late a check may run and still judge; a later one looks again that long after.
    package static let tolerance = TimeAmount.milliseconds(10)
    /// Late checks in a row after which silence is judged however late the check ran.
    package static let allowed = 5

    private var lateInARow = 0

    package init() {}

    /// Whether a check due at `due` that found silence at `now` should look again at
    /// `now + tolerance` rather than judge; counts it when so.
    package mutating func shouldLookAgain(due: NIODeadline, now: NIODeadline) -> Bool {
        guard now - due > Self.tolerance, lateInARow < Self.allowed else {
            lateInARow = 0
            return false
        }
        lateInARow += 1
        return true
    }

    /// A check that found no silence: the count of late ones in a row starts again.
    package mutating func reset() {
        lateInARow = 0
    }
}
