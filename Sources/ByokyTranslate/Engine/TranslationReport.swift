/// What a translation had to leave out, so the owner and the app can see it (sent as the
/// `x-byoky-translation-notes` response header). Only things the target cannot hold and whose
/// loss does not change the answer's meaning are dropped; everything else is refused.
public struct TranslationReport: Sendable, Hashable {
    /// Short, secret-free notes such as `thinking dropped: target has no signed thinking`.
    public private(set) var notes: [String] = []

    public init() {}

    /// Records `note` once.
    public mutating func note(_ note: String) {
        if !notes.contains(note) { notes.append(note) }
    }

    /// The header value: notes joined with `; `.
    public var headerValue: String? { notes.isEmpty ? nil : notes.joined(separator: "; ") }
}
