import ByokyCore

/// A list of provider ids as records keep it in one column: comma-separated (`openai,anthropic`).
enum ProviderList {
    /// The ids in `text`, in order, empty items skipped. Split on bytes, not characters: a
    /// session's list is read on every request it makes.
    static func ids(in text: String) -> [ProviderID] {
        text.utf8.split(separator: UInt8(ascii: ",")).map { ProviderID(String(decoding: $0, as: UTF8.self)) }
    }
}
