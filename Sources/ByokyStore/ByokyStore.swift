/// SQL persistence over SQLKit: SQLite by default, PostgreSQL by URL, with migrations.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the wallet issue.
package enum ByokyStoreModule {
    /// What this module owns, in one line.
    package static let role = "SQL persistence over SQLKit: SQLite by default, PostgreSQL by URL, with migrations."
}
