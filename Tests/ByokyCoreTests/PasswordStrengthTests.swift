import ByokyCore
import Testing

struct PasswordStrengthTests {
    @Test(arguments: ["abc", "abcdefghij", "MyP@ss12345", "password12", ""])
    func shortPasswordsAreTooWeak(password: String) {
        let strength = PasswordStrength(password)
        #expect(strength.score == 0)
        #expect(strength.label == "Too weak")
        #expect(strength.feedback == ["Use at least 12 characters"])
        #expect(!strength.isAcceptable)
    }

    @Test func commonLongPasswordsScoreZero() {
        let strength = PasswordStrength("Password1234")
        #expect(strength.score == 0)
        #expect(strength.feedback == ["This is a commonly used password"])
    }

    @Test func longerMixedPasswordsScoreHigher() {
        #expect(PasswordStrength("MyStr0ng!Pass").score >= 3)
        let best = PasswordStrength("Xk9$mP2vL8@nQ4wR!")
        #expect(best.score == 4)
        #expect(best.label == "Very strong")
        #expect(best.feedback.isEmpty)
    }

    @Test func repeatsAndSequencesCostAPoint() {
        #expect(PasswordStrength("Aaaa1234!xyz").score <= PasswordStrength("Abcd1234!xyz").score)
        let repeated = PasswordStrength("Xk9$mP2vLLLL@nQ4")
        #expect(repeated.feedback.contains("Avoid repeated characters"))
        #expect(repeated.score == 3)
        let sequential = PasswordStrength("Xk9$mP2vL8@nQ4wR!abc")
        #expect(sequential.feedback == ["Avoid sequential patterns"])
        #expect(sequential.score == 3)
    }

    @Test func singleClassPasswordsAskForVariety() {
        let lower = PasswordStrength("zqwmvtrxpkly")
        #expect(lower.score == 1)
        #expect(lower.feedback == ["Mix uppercase, lowercase, numbers, and symbols"])
        let twoClasses = PasswordStrength("zqwmvtrxpklyZQWM")
        #expect(twoClasses.score == 2)
        #expect(twoClasses.feedback == ["Add more character variety or length"])
        #expect(twoClasses.isAcceptable)
    }

    @Test func minimumLengthIsTwelve() {
        #expect(PasswordStrength.minimumLength == 12)
        #expect(PasswordStrength.requiredScore == 2)
    }
}
