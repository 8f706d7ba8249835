/// The encrypted wallet and its proxy engine: credentials, sessions, routing, allowances, audit log.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the wallet issue.
package enum ByokyWalletModule {
    /// What this module owns, in one line.
    package static let role =
        "The encrypted wallet and its proxy engine: credentials, sessions, routing, allowances, audit log."
}
