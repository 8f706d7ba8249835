/// The app SDK: Byoky, ByokySession, createFetch and the backend relay.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the SDK issue.
package enum ByokySDKModule {
    /// What this module owns, in one line.
    package static let role = "The app SDK: Byoky, ByokySession, createFetch and the backend relay."
}
