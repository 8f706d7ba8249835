internal import ByokyCore

extension ByokyError {
    /// The app's request uses something the target family cannot express.
    static func unsupported(_ what: String, target: APIFamily) -> ByokyError {
        ByokyError(
            .translationNotSupported,
            "This route translates to the \(target.displayName) API, which cannot express \(what). "
                + "Change the request, or route this app to a provider of its own API family.",
            details: ["target": target.rawValue]
        )
    }

    /// The body is not what the family's API accepts.
    static func malformedRequest(_ what: String) -> ByokyError {
        ByokyError(.invalidRequest, "The request body is not valid: \(what).")
    }

    /// The upstream's answer could not be read.
    static func malformedUpstream(_ family: APIFamily, _ what: String) -> ByokyError {
        ByokyError(
            .translationFailed,
            "The \(family.displayName) upstream sent an answer that could not be translated: \(what)."
        )
    }
}
