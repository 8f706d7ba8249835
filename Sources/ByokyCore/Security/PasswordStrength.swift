/// Scores a password with the original extension's rules, so the wallet, the vault and backups
/// judge a password the same way.
public struct PasswordStrength: Sendable, Hashable {
    /// The shortest password accepted anywhere.
    public static let minimumLength = 12
    /// The score needed for a wallet, vault account or backup password.
    public static let requiredScore = 2

    /// 0 (too weak) to 4 (very strong).
    public let score: Int
    /// `Too weak`, `Weak`, `Fair`, `Strong` or `Very strong`.
    public let label: String
    /// What would make the password stronger.
    public let feedback: [String]

    /// Whether the password is good enough to use.
    public var isAcceptable: Bool { score >= Self.requiredScore }

    /// Scores `password`.
    public init(_ password: String) {
        let length = password.count
        guard length >= Self.minimumLength else {
            self.init(score: 0, feedback: ["Use at least \(Self.minimumLength) characters"])
            return
        }
        let lowered = password.lowercased()
        if Self.commonPasswords.contains(lowered) {
            self.init(score: 0, feedback: ["This is a commonly used password"])
            return
        }
        var score = length >= 16 ? 2 : 1
        var feedback: [String] = []

        var classes = 0
        if password.contains(where: { $0.isLowercase }) { classes += 1 }
        if password.contains(where: { $0.isUppercase }) { classes += 1 }
        if password.contains(where: { $0.isNumber }) { classes += 1 }
        if password.contains(where: { !$0.isLowercase && !$0.isUppercase && !$0.isNumber }) { classes += 1 }
        if classes < 2 { feedback.append("Mix uppercase, lowercase, numbers, and symbols") }
        if classes >= 3 { score += 1 }
        if classes >= 4 { score += 1 }

        if Self.hasRun(of: 4, in: password) {
            feedback.append("Avoid repeated characters")
            score = max(0, score - 1)
        }
        if Self.sequences.contains(where: { lowered.contains($0) }) {
            feedback.append("Avoid sequential patterns")
            score = max(0, score - 1)
        }
        score = min(4, max(0, score))
        if feedback.isEmpty && score < 3 { feedback.append("Add more character variety or length") }
        self.init(score: score, feedback: feedback)
    }

    private init(score: Int, feedback: [String]) {
        self.score = score
        self.label = Self.labels[score]
        self.feedback = feedback
    }

    private static let labels = ["Too weak", "Weak", "Fair", "Strong", "Very strong"]

    private static let sequences = ["012", "123", "234", "345", "456", "567", "678", "789", "abc", "bcd", "cde", "def"]

    /// Frequently leaked passwords of minimum length or more (shorter ones fail the length rule).
    private static let commonPasswords: Set<String> = [
        "password1234", "password12345", "password123456", "passwordpassword", "qwertyuiop12", "qwertyuiop123",
        "qwertyuiopasdf", "1qaz2wsx3edc", "123456789012", "1234567890123", "12345678910", "111111111111",
        "000000000000", "abcdefghijkl", "iloveyou1234", "letmein12345", "welcome12345", "administrator",
        "changeme1234", "trustno1trustno1", "football1234", "baseball1234", "monkey123456", "sunshine1234",
        "princess1234", "superman1234", "starwars1234", "dragon123456", "masterkey123", "correcthorsebatterystaple",
    ]

    private static func hasRun(of length: Int, in password: String) -> Bool {
        var previous: Character?
        var run = 0
        for character in password {
            run = character == previous ? run + 1 : 1
            if run >= length { return true }
            previous = character
        }
        return false
    }
}
