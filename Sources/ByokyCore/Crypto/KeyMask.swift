/// Masks a secret for display: the first and last four characters, or `****` for short values.
///
/// `sk-1234567890abcdef` becomes `sk-1...cdef`; anything of 8 characters or fewer becomes `****`.
public func maskKey(_ key: String) -> String {
    let characters = Array(key)
    guard characters.count > 8 else { return "****" }
    return String(characters.prefix(4)) + "..." + String(characters.suffix(4))
}
