import ArgumentParser
import ByokyCore

extension ByokyCommand {
    /// `byoky password-check`: scores a password read from standard input.
    struct PasswordCheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "password-check",
            abstract: "Score a password (read from standard input) with the wallet's strength rules.",
            discussion:
                "The password is read from standard input, never from the command line. Exits 1 when it is too weak."
        )

        func run() async throws {
            guard let line = readLine(strippingNewline: true) else {
                throw ValidationError("No password on standard input. Try: printf '%s' \"$PW\" | byoky password-check")
            }
            let strength = PasswordStrength(line)
            print("\(strength.label) (\(strength.score)/4)")
            for item in strength.feedback { print("- \(item)") }
            if !strength.isAcceptable { throw ExitCode(1) }
        }
    }
}
