import ArgumentParser
import Foundation

/// The file that makes the wallet start at login: a systemd user unit on Linux, a launchd agent
/// on macOS. It runs `byoky serve --locked`, so it never needs the master password: the owner
/// unlocks from the wallet page (`byoky open`) or with `byoky unlock`.
struct ServiceUnit: Equatable {
    enum Kind: String, ExpressibleByArgument {
        case systemd, launchd
    }

    let kind: Kind
    /// Where the file goes.
    let path: String
    let contents: String

    /// The systemd unit's name, and the launchd agent's label.
    static let systemdName = "byoky.service"
    static let launchdLabel = "com.byoky.wallet"

    /// The unit for this machine's kind of system.
    static func forThisSystem(
        executable: String,
        port: Int,
        environment: [String: String]
    ) -> ServiceUnit {
        #if os(macOS)
        return launchd(executable: executable, port: port, environment: environment)
        #else
        return systemd(executable: executable, port: port, environment: environment)
        #endif
    }

    /// The variables the service passes on: where the wallet lives, when the owner set it.
    static func passedEnvironment(_ environment: [String: String]) -> [(String, String)] {
        ["BYOKY_HOME", "XDG_DATA_HOME"].compactMap { name in environment[name].map { (name, $0) } }
    }

    static func systemd(executable: String, port: Int, environment: [String: String]) -> ServiceUnit {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configuration = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        let variables = passedEnvironment(environment).map { "Environment=\(quoted("\($0.0)=\($0.1)"))\n" }.joined()
        let contents = """
            # Written by `byoky service install`; remove with `byoky service uninstall`.
            [Unit]
            Description=byoky wallet: the local bridge and wallet page (unlock with `byoky open` or `byoky unlock`)
            After=network.target

            [Service]
            Type=simple
            ExecStart=\(quoted(executable)) serve --locked --port \(port)
            \(variables)Restart=on-failure
            RestartSec=5
            # The wallet needs no privileges and no access beyond its own files.
            NoNewPrivileges=yes
            PrivateTmp=yes

            [Install]
            WantedBy=default.target

            """
        return ServiceUnit(kind: .systemd, path: configuration + "/systemd/user/" + systemdName, contents: contents)
    }

    static func launchd(executable: String, port: Int, environment: [String: String]) -> ServiceUnit {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let arguments = [executable, "serve", "--locked", "--port", String(port)]
            .map { "    <string>\(xml($0))</string>\n" }.joined()
        let variables = passedEnvironment(environment)
            .map { "    <key>\(xml($0.0))</key>\n    <string>\(xml($0.1))</string>\n" }.joined()
        let contents = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <!-- Written by `byoky service install`; remove with `byoky service uninstall`. -->
            <plist version="1.0">
            <dict>
              <key>Label</key>
              <string>\(launchdLabel)</string>
              <key>ProgramArguments</key>
              <array>
            \(arguments)  </array>
              <key>EnvironmentVariables</key>
              <dict>
            \(variables)  </dict>
              <key>RunAtLoad</key>
              <true/>
              <key>KeepAlive</key>
              <dict>
                <key>SuccessfulExit</key>
                <false/>
              </dict>
            </dict>
            </plist>

            """
        return ServiceUnit(
            kind: .launchd,
            path: home + "/Library/LaunchAgents/\(launchdLabel).plist",
            contents: contents
        )
    }

    /// A systemd word in double quotes (spaces, quotes and backslashes escaped; `%` doubled, as
    /// systemd expands specifiers).
    static func quoted(_ word: String) -> String {
        var escaped = ""
        for character in word {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "%": escaped += "%%"
            case "$": escaped += "$$"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }

    static func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
