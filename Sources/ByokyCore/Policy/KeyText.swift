/// What a provider key's text may be. A key is one run of visible characters: it goes into a
/// header (or Gemini's query) as it is. A key with a space, a tab or a control character in it,
/// or in quotes, is not a key but what was pasted around one (`export OPENAI_API_KEY=sk-…`, a
/// line of an `.env` file): stored, it would only fail at the provider, far from where it came in.
public enum KeyText {
    /// The longest key taken, in bytes: the longest header value sent upstream.
    public static let maximumLength = UpstreamHeaders.maximumValueLength

    /// Why `key` cannot be a provider key, in one line; `nil` when it can (an empty key is left to
    /// the caller: local providers take none).
    public static func problem(with key: String) -> String? {
        let bytes = key.utf8
        guard bytes.count <= maximumLength else { return "The key is longer than \(maximumLength) bytes" }
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            return "The key has a space, line break or control character in it: paste the key alone"
        }
        if let first = bytes.first, let last = bytes.last, bytes.count >= 2, first == last,
            first == UInt8(ascii: "\"") || first == UInt8(ascii: "'")
        {
            return "The key is in quotes: paste it without them"
        }
        return nil
    }
}
