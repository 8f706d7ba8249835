import ArgumentParser
import ByokyCore

extension ByokyCommand {
    /// `byoky demo`: the guided tour on an embedded default.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the wallet end to end on a built-in mock provider (no keys, no servers).",
            discussion: """
                The full demo starts a throw-away wallet, a mock provider and the local bridge, and
                sends a real request through them. The wallet is still being built, so today the demo
                shows what this build already does: the provider registry, key masking and the
                provider-format errors an app would see. It always exits 0.
                """
        )

        func run() async throws {
            print("Byoky \(ByokyVersion.current) demo")
            print("")
            print("The end-to-end demo (wallet + mock provider + bridge) is not available yet in this build;")
            print("it arrives with the wallet. Here is what the core already does:")
            print("")
            print("1. Providers the wallet can hold keys for (\(ProviderRegistry.all.count)):")
            for provider in ProviderRegistry.all {
                let family = provider.family?.rawValue ?? "local"
                print(
                    "   \(provider.id.rawValue.padding(toLength: 13)) \(provider.displayName.padding(toLength: 18)) \(family)"
                )
            }
            print("")
            let key = SecretString("sk-demo-" + SecureRandom.hexToken(byteCount: 12))
            print("2. A key is shown masked, never whole: \(maskKey(key.exposedValue))")
            print("   and printing the key object itself gives: \(key)")
            print("")
            let error = ByokyError(.noCredential, "No anthropic API key found. Add a anthropic key to your wallet.")
            print("3. An app using the Anthropic SDK would get this error in Anthropic's own format:")
            print(
                "   HTTP \(error.httpStatus) \(String(decoding: ErrorBody.json(for: error, family: .anthropic), as: UTF8.self))"
            )
            print("")
            print("Next: `swift test` runs the test suite.")
        }
    }
}

extension String {
    /// The string padded with spaces (or cut) to `length` characters.
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? String(prefix(length)) : self + String(repeating: " ", count: length - count)
    }
}
