import ByokyCore
import ByokyTranslate
import FuzzSupport

/// One fuzz input: the first byte picks the operation (request, response or stream translation)
/// and the pair of families; the rest is the body or stream. Any crash, hang or runaway output is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func translateFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let selector = Int(input[0])
    let body = Array(input.dropFirst())
    let families = APIFamily.allCases
    let source = families[selector % 4]
    let target = families[(selector / 4) % 4]
    guard source != target, let provider = ProviderRegistry.members(of: target).first else { return 0 }
    switch (selector / 16) % 3 {
    case 0:
        let path: String =
            switch source {
            case .anthropic: "/v1/messages"
            case .openai: "/v1/chat/completions"
            case .gemini: "/v1beta/models/gemini-2.5-flash:streamGenerateContent"
            case .cohere: "/v2/chat"
            }
        if let outbound = try? ChatTranslator.translateRequest(
            body,
            path: path,
            from: source,
            to: provider,
            model: "m",
            requestID: "f"
        ) {
            precondition(outbound.body.count < body.count * 4 + 4096, "request output out of proportion")
        }
    case 1:
        let context = TranslationContext(
            sourceFamily: source,
            targetFamily: target,
            targetProvider: provider.id,
            targetModel: "m",
            requestID: "f"
        )
        let result = ChatTranslator(context: context).translateResponse(body, status: 200)
        precondition(!result.body.isEmpty)
    default:
        let context = TranslationContext(
            sourceFamily: source,
            targetFamily: target,
            targetProvider: provider.id,
            targetModel: "m",
            isStreaming: true,
            requestID: "f"
        )
        var translator = ChatTranslator(context: context).makeStreamTranslator()
        let middle = body.count / 2
        var output = translator.translate(body[..<middle])
        output += translator.translate(body[middle...])
        output += translator.finish()
        precondition(output.count < body.count * 6 + 4096, "stream output out of proportion")
    }
    return 0
}

/// The entry point SwiftPM links for this executable: libFuzzer's driver (FuzzSupport).
@_cdecl("TranslateFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { start, count in translateFuzz(start, count) }
}
