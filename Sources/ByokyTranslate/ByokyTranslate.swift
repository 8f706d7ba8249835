/// Cross-family translation: intermediate representation, one adapter per API family, stream translators.
///
/// This module is laid out now so that the dependency direction of the package is fixed
/// (see DESIGN.md §2); its contents arrive with the translation-engine issue.
package enum ByokyTranslateModule {
    /// What this module owns, in one line.
    package static let role =
        "Cross-family translation: intermediate representation, one adapter per API family, stream translators."
}
