import ArgumentParser
import ByokyCore
import Foundation
import NIOHTTP1

extension ByokyCommand {
    /// `byoky open`: the wallet's web page, with a one-time login link.
    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open your wallet's web page in the browser (with a one-time login link).",
            discussion: """
                The running wallet (`byoky serve`) makes a login link that works once, for two minutes; \
                this command prints it and opens it with your browser (xdg-open on Linux, open on macOS). \
                The page then keeps you logged in with a cookie for up to 12 hours (30 minutes idle); \
                `byoky lock` or the page's Lock button logs every browser out.

                  byoky open
                  byoky open --no-browser   # print the link only (e.g. over SSH, tunnelled)
                """
        )
        @OptionGroup var options: WalletOptions
        @Flag(help: "Print the link without starting a browser.") var noBrowser = false

        struct Login: Decodable {
            let url: String
        }

        func run() async throws {
            try await reportingErrors {
                let login = try await ControlClient(home: options.home).send(.POST, "/owner-login", as: Login.self)
                print("Your wallet's page (the link works once, for two minutes):\n  \(login.url)")
                guard !noBrowser else { return }
                if let opener = Self.browserOpener() {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: opener)
                    process.arguments = [login.url]
                    process.standardOutput = FileHandle.nullDevice
                    process.standardError = FileHandle.nullDevice
                    if (try? process.run()) == nil { print("Could not start a browser; open the link yourself.") }
                } else {
                    print("No browser opener (xdg-open) here; open the link yourself.")
                }
            }
        }

        /// `xdg-open` or `open`, whichever this system has.
        static func browserOpener() -> String? {
            #if os(macOS)
            let names = ["open"]
            #else
            let names = ["xdg-open"]
            #endif
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            for folder in path.split(separator: ":") {
                for name in names where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                    return "\(folder)/\(name)"
                }
            }
            return nil
        }
    }
}
