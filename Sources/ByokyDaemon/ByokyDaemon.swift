/// The wallet daemon: loopback bridge, wallet API and the owner's control socket.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the wallet issue.
package enum ByokyDaemonModule {
    /// What this module owns, in one line.
    package static let role = "The wallet daemon: loopback bridge, wallet API and the owner's control socket."
}
