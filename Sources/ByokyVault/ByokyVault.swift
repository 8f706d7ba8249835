/// The vault server: accounts, sync, app sessions and the fallback gift sender.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the vault issue.
package enum ByokyVaultModule {
    /// What this module owns, in one line.
    package static let role = "The vault server: accounts, sync, app sessions and the fallback gift sender."
}
