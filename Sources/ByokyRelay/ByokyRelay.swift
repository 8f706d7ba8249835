/// The relay server for pairing, remote apps and token gifts.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the relay issue.
package enum ByokyRelayModule {
    /// What this module owns, in one line.
    package static let role = "The relay server for pairing, remote apps and token gifts."
}
