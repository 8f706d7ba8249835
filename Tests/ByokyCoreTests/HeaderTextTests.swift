import ByokyCore
import Testing

struct HeaderTextTests {
    @Test func tokensAreTheRFCsCharactersOnly() {
        for name in ["x-api-key", "Content-Type", "a", "!#$%&'*+-.^_`|~09AZaz"] {
            #expect(HeaderText.isToken(name), "\(name)")
        }
        for name in ["", "x api", "x:y", "x\r\ny", "ä", "(x)", "x/y", "x\"", "x\u{0}", "x\t"] {
            #expect(!HeaderText.isToken(name), "\(name)")
        }
    }

    @Test func valuesMayNotBreakTheLine() {
        #expect(HeaderText.isSafeValue("Bearer sk-ant-123 ; ä"))
        #expect(HeaderText.isSafeValue(""))
        for value in ["a\rb", "a\nb", "a\u{0}b", "\r\n"] { #expect(!HeaderText.isSafeValue(value)) }
    }

    @Test func namesCompareInAnyASCIICase() {
        #expect(HeaderText.name("Content-Length", is: "content-length"))
        #expect(HeaderText.name("HOST", is: "host"))
        #expect(HeaderText.name("host", is: "host"))
        #expect(!HeaderText.name("hosts", is: "host"))
        #expect(!HeaderText.name("hos", is: "host"))
        #expect(!HeaderText.name("h0st", is: "host"))
        // Only letters fold: "[" is not "{" in another case, nor "-" in upper case "\r".
        #expect(!HeaderText.name("[", is: "{"))
        #expect(!HeaderText.name("\r", is: "-"))
        // The same against a name known only at run time.
        let vary = String("vary")
        #expect(HeaderText.name("Vary", is: vary))
        #expect(HeaderText.name("VARY", is: vary))
        #expect(!HeaderText.name("Varys", is: vary))
        #expect(!HeaderText.name("vAry-", is: vary))
    }

    @Test func namesLowerCaseTheirASCIILettersOnly() {
        #expect(HeaderText.lowercased("Content-Type") == "content-type")
        #expect(HeaderText.lowercased("X-API-KEY") == "x-api-key")
        #expect(HeaderText.lowercased("anthropic-version") == "anthropic-version")
        #expect(HeaderText.lowercased("") == "")
        // What String.lowercased() makes of a name outside ASCII, as before.
        #expect(HeaderText.lowercased("X-Ünïcode") == "X-Ünïcode".lowercased())
        #expect(HeaderText.lowercased("x-ünïcode") == "x-ünïcode")
    }
}
