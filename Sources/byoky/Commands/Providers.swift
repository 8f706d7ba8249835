import ArgumentParser
import ByokyCore

extension ByokyCommand {
    /// `byoky providers`: what the wallet can hold keys for.
    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the providers the wallet supports, with their API family and base URL."
        )

        func run() async throws {
            let rows = ProviderRegistry.all.map { provider in
                var notes: [String] = [provider.family.map { "family: \($0.rawValue)" } ?? "local server"]
                if provider.requiresCustomBaseURL { notes.append("needs a base URL") }
                if provider.authMethods.contains(.oauth) { notes.append("setup tokens accepted") }
                return [provider.id.rawValue, provider.displayName, provider.baseURL, notes.joined(separator: ", ")]
            }
            printTable(headers: ["provider", "name", "base url", "notes"], rows: rows)
        }
    }
}
