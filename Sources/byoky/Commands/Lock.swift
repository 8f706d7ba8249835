import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation
import NIOHTTP1

/// The control socket's answer to lock and unlock.
private struct LockState: Decodable {
    let unlocked: Bool
}

extension ByokyCommand {
    /// `byoky lock`.
    struct Lock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lock the running wallet: it forgets the key that opens your keys until `byoky unlock`."
        )
        @OptionGroup var options: WalletOptions

        func run() async throws {
            try await reportingErrors {
                _ = try await ControlClient(home: options.home).send(.POST, "/lock", as: LockState.self)
                print("Locked. Apps get \"wallet locked\" errors until you run `byoky unlock`.")
            }
        }
    }

    /// `byoky unlock`.
    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unlock the running wallet with your master password."
        )
        @OptionGroup var options: WalletOptions

        struct Body: Encodable { let password: String }

        func run() async throws {
            try await reportingErrors {
                // Asked only when a wallet runs: nobody types the master password for nothing.
                guard let daemon = await ControlClient.runningDaemon(home: options.home) else {
                    throw ControlClient.noRunningWallet
                }
                let password = try SecretInput.password(file: options.passwordFile)
                _ = try await daemon.send(
                    .POST,
                    "/unlock",
                    body: WalletAPI.encode(Body(password: password)),
                    as: LockState.self
                )
                print("Unlocked.")
            }
        }
    }
}
