import ByokyCore
import NIOCore
import Testing

/// A silence check that ran late looks again, a few times in a row at most; one on time judges.
struct LateTimerCheckTests {
    let due = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func aCheckOnTimeJudges() {
        var check = LateTimerCheck()
        let answers = [
            check.shouldLookAgain(due: due, now: due),
            check.shouldLookAgain(due: due, now: due + LateTimerCheck.tolerance),
        ]
        #expect(answers == [false, false])
    }

    @Test func aLateCheckLooksAgainAFewTimesInARowAtMost() {
        var check = LateTimerCheck()
        let late = due + .seconds(2)
        let allowed = LateTimerCheck.allowed
        var answers: [Bool] = []
        for _ in 0..<(allowed + 2) { answers.append(check.shouldLookAgain(due: due, now: late)) }
        // A loop held for good still ends silent connections; after a check that judged, late
        // ones look again anew.
        #expect(answers == Array(repeating: true, count: allowed) + [false, true])
        // And after a check that found no silence.
        check.reset()
        answers = []
        for _ in 0..<(allowed + 1) { answers.append(check.shouldLookAgain(due: due, now: late)) }
        #expect(answers == Array(repeating: true, count: allowed) + [false])
    }
}
