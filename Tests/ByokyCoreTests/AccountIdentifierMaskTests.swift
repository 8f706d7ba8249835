import ByokyCore
import Testing

/// Account identifiers in provider error messages are masked in place: the prefix stays, the
/// rest becomes stars, the text keeps its length; words that merely contain a prefix, and short
/// runs after one, are left alone.
struct AccountIdentifierMaskTests {
    @Test(arguments: [
        (
            "Rate limit reached for gpt-5.4 in organization org-AbCdEfGhIjKlMnOpQrStUvWx on tokens",
            "Rate limit reached for gpt-5.4 in organization org-************************ on tokens"
        ),
        ("org-0123456789abcdef", "org-****************"),
        ("(proj_0123456789ABCDEFghij)", "(proj_********************)"),
        ("org-aaaaaaaaaaaaaaaaa and org-bbbbbbbbbbbbbbbbb", "org-***************** and org-*****************"),
        ("org-short", "org-short"),
        ("myorg-0123456789abcdefgh", "myorg-0123456789abcdefgh"),
        ("an org-wide limit", "an org-wide limit"),
        ("proj-0123456789abcdefgh", "proj-0123456789abcdefgh"),
        ("", ""),
    ])
    func identifiersAreMaskedInPlace(text: String, expected: String) {
        var bytes = Array(text.utf8)
        let masked = AccountIdentifierMask.mask(&bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(masked == (text != expected))
        #expect(bytes.count == text.utf8.count)
    }
}
