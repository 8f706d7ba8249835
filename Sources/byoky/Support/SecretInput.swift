import ArgumentParser
import ByokyCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads passwords and keys from a file, standard input or a hidden terminal prompt — never from
/// the command line, where other users could see them in the process list.
enum SecretInput {
    /// The master password: `--password-file`, else `$BYOKY_PASSWORD_FILE`, else a hidden prompt.
    static func password(file: String?, prompt: String = "Master password: ") throws -> String {
        if let path = file ?? ProcessInfo.processInfo.environment["BYOKY_PASSWORD_FILE"], !path.isEmpty {
            return try readFirstLine(of: path, what: "password file")
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("No terminal to ask for the master password; pass --password-file <path>")
        }
        return try hiddenPrompt(prompt)
    }

    /// A new master password: `--password-file`, else `$BYOKY_PASSWORD_FILE`, else asked twice at
    /// a hidden prompt; checked for strength.
    static func newPassword(file: String?) throws -> String {
        let password: String
        if let path = file ?? ProcessInfo.processInfo.environment["BYOKY_PASSWORD_FILE"], !path.isEmpty {
            password = try readFirstLine(of: path, what: "password file")
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("No terminal to ask for a master password; pass it in a file")
            }
            password = try confirmedPrompt(purpose: "master")
        }
        return try checkedStrength(password, purpose: "master")
    }

    /// A password that must not be taken from the wallet's own password file: a backup's
    /// password, or the new master password of `byoky passwd`. Read from `file`, else the first
    /// line of standard input when it is not a terminal, else a hidden prompt (asked twice and
    /// checked for strength when `isNew`). It never falls back to `$BYOKY_PASSWORD_FILE`.
    static func separatePassword(file: String?, purpose: String, isNew: Bool) throws -> String {
        let password: String
        if let file, !file.isEmpty {
            password = try readFirstLine(of: file, what: "\(purpose) password file")
        } else if isatty(STDIN_FILENO) != 1 {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("Expected the \(purpose) password on standard input, got nothing")
            }
            password = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        } else if isNew {
            password = try confirmedPrompt(purpose: purpose)
        } else {
            password = try hiddenPrompt("The \(purpose) password: ")
        }
        return isNew ? try checkedStrength(password, purpose: purpose) : password
    }

    private static func confirmedPrompt(purpose: String) throws -> String {
        let password = try hiddenPrompt("Choose a \(purpose) password (12+ characters): ")
        guard try hiddenPrompt("Repeat it: ") == password else {
            throw ValidationError("The two passwords differ; nothing was changed")
        }
        return password
    }

    private static func checkedStrength(_ password: String, purpose: String) throws -> String {
        let strength = PasswordStrength(password)
        guard strength.isAcceptable else {
            throw ValidationError(
                "The \(purpose) password is too weak (\(strength.label)): \(strength.feedback.joined(separator: "; "))"
            )
        }
        return password
    }

    /// A secret being stored (`what`: what the error calls it): standard input when it is not a
    /// terminal, else a hidden prompt.
    static func secret(prompt: String, what: String = "key") throws -> SecretString {
        if isatty(STDIN_FILENO) == 1 { return SecretString(try hiddenPrompt(prompt)) }
        guard let line = readLine(strippingNewline: true) else {
            throw ValidationError("Expected the \(what) on standard input, got nothing")
        }
        return SecretString(line.trimmingCharacters(in: .whitespaces))
    }

    private static func readFirstLine(of path: String, what: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("Cannot read the \(what) \(path)")
        }
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }

    private static func hiddenPrompt(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var hidden = original
        hidden.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("No input") }
        return line
    }
}
