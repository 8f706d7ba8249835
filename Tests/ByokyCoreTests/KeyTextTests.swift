import ByokyCore
import Testing

/// A key is one run of visible characters; what is pasted around one is refused with the reason.
struct KeyTextTests {
    @Test(arguments: [
        "sk-ant-api03-AbC_dEf-123", "sk-proj-abc123", "AIzaSyA-1234567890", "gsk_0123", "sk-or-v1-abc", "ключ",
        "x", String(repeating: "k", count: KeyText.maximumLength),
    ])
    func keysAreTaken(_ key: String) {
        #expect(KeyText.problem(with: key) == nil)
    }

    @Test(arguments: [
        ("export OPENAI_API_KEY=sk-proj-abc", "a space, line break or control character"),
        ("sk-ant one two", "a space, line break or control character"),
        ("sk-\tabc", "a space, line break or control character"),
        ("sk-abc\r", "a space, line break or control character"),
        ("sk-\u{01}abc", "a space, line break or control character"),
        ("sk-abc\u{7F}", "a space, line break or control character"),
        ("\"sk-proj-abc\"", "in quotes"),
        ("'sk-proj-abc'", "in quotes"),
        (String(repeating: "k", count: KeyText.maximumLength + 1), "longer than 8192 bytes"),
    ])
    func whatIsNotAKeyIsRefusedWithTheReason(_ key: String, _ reason: String) {
        #expect(KeyText.problem(with: key)?.contains(reason) == true, "\(key.prefix(20))")
    }
}
