/// The token marketplace board and app-marketplace submissions.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the marketplace issue.
package enum ByokyMarketplaceModule {
    /// What this module owns, in one line.
    package static let role = "The token marketplace board and app-marketplace submissions."
}
