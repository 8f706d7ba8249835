import ByokyCore
import Testing

/// What `byoky app validate` reads from an app's code: direct provider calls (and not the SDK's
/// own use of provider URLs), the providers it asks for, obfuscation, privacy links.
@Suite struct AppCodeScanTests {
    @Test(arguments: [
        #"const r = await fetch("https://api.openai.com/v1/chat/completions", init);"#,
        "const r = await fetch(`https://api.anthropic.com/v1/messages`);",
        #"window.fetch ( 'https://generativelanguage.googleapis.com/v1beta/models' )"#,
        #"xhr.open("POST", "https://api.mistral.ai/v1/chat/completions");"#,
        #"const socket = new WebSocket("wss://api.openai.com/v1/realtime");"#,
    ])
    func directCallsAreFound(_ line: String) {
        #expect(AppCodeScan.directProviderCalls(in: "// app\n" + line, file: "app.js").map(\.line) == [2], "\(line)")
    }

    @Test(arguments: [
        #"const r = await session.createFetch("anthropic")("https://api.anthropic.com/v1/messages", init);"#,
        #"const call = session.createFetch('openai'); await call('https://api.openai.com/v1/chat/completions');"#,
        #"const url = 'https://api.anthropic.com/v1/messages'; // given to createFetch below"#,
        #"await fetch("https://example.com/api/notes");"#,
    ])
    func theSDKsUseOfProviderURLsIsNotADirectCall(_ line: String) {
        #expect(AppCodeScan.directProviderCalls(in: line, file: "app.js").isEmpty, "\(line)")
    }

    @Test func requestedProvidersComeFromConnectAndCreateFetch() {
        let code = """
            const session = await byoky.connect({ providers: [{ id: "anthropic", required: true }, { id: 'groq' }] });
            const other = session.createFetch(`mistral`);
            const config = { providers: ["openai", "deepseek"], id: "not-a-provider" };
            """
        let asked = AppCodeScan.requestedProviders(in: code, file: "app.js")
        #expect(Set(asked.map(\.provider)) == ["anthropic", "groq", "mistral", "openai", "deepseek"])
        #expect(asked.first { $0.provider == "mistral" }?.at.line == 2)
    }

    @Test func obfuscationSigns() {
        func found(_ code: String) -> [String] { AppCodeScan.obfuscation(in: code, file: "x.js").map(\.detail) }
        #expect(found("eval(function(p,a,c,k,e,d){return p}('',1,1,'',0,{}))").first?.contains("packer") == true)
        #expect(found("const run = new Function('a', 'return a');").first?.contains("new Function") == true)
        #expect(found("var _0xa1b2=1,_0xc3d4=2,_0xe5f6=3,_0x1a2b=4,_0x3c4d=5;").first?.contains("_0x") == true)
        #expect(found(String(repeating: "\\x41", count: 100)).first?.contains("escapes") == true)
        #expect(found(String(repeating: "a", count: 6_000)).first?.contains("source map") == true)
        #expect(found(String(repeating: "a", count: 6_000) + "\n//# sourceMappingURL=app.js.map").isEmpty)
        #expect(found("const evaluation = 1; // evaluate(x) is fine").isEmpty)
    }

    @Test func privacyLinksAreFoundByAddressOrText() {
        let page = """
            <a href="/about">About</a> <A HREF='/legal/privacy-policy'>Legal</A>
            <a class="x" href="https://example.com/p">Our Privacy Policy</a>
            """
        #expect(AppCodeScan.privacyLinks(in: page) == ["/legal/privacy-policy", "https://example.com/p"])
    }
}
