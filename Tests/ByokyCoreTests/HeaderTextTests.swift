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

    /// Every byte value, against RFC 9110's wording: a visible ASCII character that is not a
    /// delimiter. Read through bytes and through strings alike.
    @Test func eachByteIsATokenExactlyWhenTheRFCSaysSo() {
        let delimiters = Array("\"(),/:;<=>?@[\\]{}".utf8)
        for byte in UInt8.min...UInt8.max {
            let expected = (0x21...0x7E).contains(byte) && !delimiters.contains(byte)
            let viaBytes = [byte, UInt8(ascii: "a")].withUnsafeBytes { HeaderText.isToken($0) }
            #expect(viaBytes == expected, "byte \(byte)")
            if byte < 0x80 {
                #expect(HeaderText.isToken("a" + String(UnicodeScalar(byte))) == expected, "byte \(byte)")
            }
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
        // Names longer than a small string, and letters outside ASCII, which do not fold.
        let allowOrigin = String("access-control-allow-origin")
        #expect(HeaderText.name("Access-Control-Allow-Origin", is: allowOrigin))
        #expect(HeaderText.name("ACCESS-CONTROL-ALLOW-ORIGIN", is: "access-control-allow-origin"))
        #expect(!HeaderText.name("Access-Control-Allow-Origins", is: allowOrigin))
        #expect(!HeaderText.name("Access-Control-Allow-0rigin", is: "access-control-allow-origin"))
        #expect(!HeaderText.name("Ä-name", is: String("ä-name")))
        #expect(HeaderText.name("ä-NAME", is: String("ä-name")))
    }

    /// Every pair of ASCII characters, against a name given as text and as a run-time string.
    @Test func everyASCIIPairComparesAsCaseFoldingSays() {
        for sent in UInt8(0)..<128 {
            for wanted in UInt8(0)..<128 where !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(wanted) {
                let folds =
                    sent == wanted || ((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(sent) && sent | 0x20 == wanted)
                let name = "x" + String(UnicodeScalar(sent)) + "-header-name-longer-than-small"
                let expected = "x" + String(UnicodeScalar(wanted)) + "-header-name-longer-than-small"
                #expect(HeaderText.name(name, is: expected) == folds, "\(sent) \(wanted)")
                #expect(HeaderText.name(String(UnicodeScalar(sent)), is: String(UnicodeScalar(wanted))) == folds)
            }
        }
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
