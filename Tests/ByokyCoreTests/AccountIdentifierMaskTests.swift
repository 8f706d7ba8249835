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
        // Groq's organization.
        (
            "Rate limit reached for model `llama` in organization `org_01hq5x2yabcdefghjkmnpqrstv` service tier",
            "Rate limit reached for model `llama` in organization `org_**************************` service tier"
        ),
        // Anthropic's organization, in both of its messages' forms; xAI's team.
        (
            "the rate limit for your organization (6f1c0d2e-4a5b-4C8D-9e0f-feedfacecafe) of 30,000",
            "the rate limit for your organization (********-****-****-****-************) of 30,000"
        ),
        (
            "(org: 9d50ef40-6cc8-4ca6-9d35-1dc9cf26235c, model: x)",
            "(org: ********-****-****-****-************, model: x)"
        ),
        // Not a UUID: a group too short, a letter past f, a longer word around it.
        ("6f1c0d2e-4a5b-4c8d-9e0f-feedfacecaf", "6f1c0d2e-4a5b-4c8d-9e0f-feedfacecaf"),
        ("6f1c0d2e-4a5b-4c8d-9e0g-feedfacecafe", "6f1c0d2e-4a5b-4c8d-9e0g-feedfacecafe"),
        ("x6f1c0d2e-4a5b-4c8d-9e0f-feedfacecafe", "x6f1c0d2e-4a5b-4c8d-9e0f-feedfacecafe"),
        ("6f1c0d2e-4a5b-4c8d-9e0f-feedfacecafe0", "6f1c0d2e-4a5b-4c8d-9e0f-feedfacecafe0"),
        // Google Cloud project numbers, as Gemini's errors name them.
        ("has not been used in project 424242424242 before", "has not been used in project ************ before"),
        ("overview?project=424242424242 then", "overview?project=************ then"),
        ("for consumer 'project_number:424242424242'.", "for consumer 'project_number:************'."),
        (#""consumer": "projects/424242424242""#, #""consumer": "projects/************""#),
        (#""containerInfo":"424242424242""#, #""containerInfo":"************""#),
        (#""containerInfo": "424242424242""#, #""containerInfo": "************""#),
        ("in project 12345 of", "in project 12345 of"),
        ("the project is 424242424242", "the project is 424242424242"),
    ])
    func identifiersAreMaskedInPlace(text: String, expected: String) {
        var bytes = Array(text.utf8)
        let masked = AccountIdentifierMask.mask(&bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(masked == (text != expected))
        #expect(bytes.count == text.utf8.count)
    }
}
