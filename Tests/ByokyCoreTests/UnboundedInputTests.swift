import ByokyCore
import Testing

/// Which chat requests have input whose cost their size does not bound (named input the provider
/// reads itself, or a document sent inline), family by family, and which carry all of theirs,
/// however much they look alike; and how many images they carry.
struct UnboundedInputTests {
    static func scan(_ body: String, _ family: APIFamily?) throws -> UnboundedInput.Scan {
        guard case .object(let object) = try JSONNode.parse(Array(body.utf8)) else {
            throw ByokyError(.invalidRequest, "not an object")
        }
        return UnboundedInput.scan(object, family: family)
    }

    static func found(_ body: String, _ family: APIFamily?) throws -> UnboundedInput? {
        try scan(body, family).unbounded
    }

    static let named: [(APIFamily?, String, UnboundedInput)] = [
        // Anthropic Messages.
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}]}]}"#,
            .url
        ),
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"file","file_id":"file_01"}}]}]}"#,
            .file
        ),
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"container_upload","file_id":"file_02"}]}]}"#,
            .file
        ),
        (
            .anthropic,
            #"{"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[]}"#,
            .providerTool
        ),
        (.anthropic, #"{"tools":[{"type":"web_fetch_20250910","name":"web_fetch"}],"messages":[]}"#, .providerTool),
        (
            .anthropic,
            #"{"tools":[{"type":"code_execution_20250825","name":"code_execution"}],"messages":[]}"#,
            .providerTool
        ),
        (
            .anthropic, #"{"mcp_servers":[{"type":"url","url":"https://mcp.example.com","name":"m"}],"messages":[]}"#,
            .providerTool
        ),
        // OpenAI Chat Completions, and the providers that speak it.
        (.openai, #"{"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]}"#, .file),
        (
            .openai,
            #"{"messages":[{"role":"user","content":[{"type":"document_url","document_url":"https://example.com/a.pdf"}]}]}"#,
            .url
        ),
        (.openai, #"{"web_search_options":{},"messages":[]}"#, .providerTool),
        (.openai, #"{"plugins":[{"id":"web"}],"messages":[]}"#, .providerTool),
        // OpenAI Responses.
        (.openai, #"{"previous_response_id":"resp_1","input":"and then?"}"#, .storedContext),
        (.openai, #"{"conversation":"conv_1","input":"and then?"}"#, .storedContext),
        (.openai, #"{"prompt":{"id":"pmpt_1","version":"2"},"input":"hi"}"#, .storedContext),
        (.openai, #"{"input":[{"type":"item_reference","id":"msg_1"}]}"#, .storedContext),
        (.openai, #"{"input":[{"role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]}"#, .file),
        (
            .openai,
            #"{"input":[{"role":"user","content":[{"type":"input_file","file_url":"https://example.com/a.pdf"}]}]}"#,
            .url
        ),
        (.openai, #"{"input":[{"role":"user","content":[{"type":"input_image","file_id":"file-2"}]}]}"#, .file),
        (.openai, #"{"tools":[{"type":"web_search"}],"input":"news?"}"#, .providerTool),
        (.openai, #"{"tools":[{"type":"web_search_preview"}],"input":"news?"}"#, .providerTool),
        (.openai, #"{"tools":[{"type":"file_search","vector_store_ids":["vs_1"]}],"input":"q"}"#, .providerTool),
        (.openai, #"{"tools":[{"type":"code_interpreter","container":{"type":"auto"}}],"input":"q"}"#, .providerTool),
        (
            .openai,
            #"{"tools":[{"type":"mcp","server_url":"https://mcp.example.com","server_label":"m"}],"input":"q"}"#,
            .providerTool
        ),
        // Gemini, in both of proto3 JSON's spellings.
        (.gemini, #"{"contents":[{"parts":[{"fileData":{"fileUri":"https://www.youtube.com/watch?v=x"}}]}]}"#, .file),
        (
            .gemini,
            #"{"contents":[{"parts":[{"file_data":{"file_uri":"files/abc","mime_type":"application/pdf"}}]}]}"#, .file
        ),
        (.gemini, #"{"system_instruction":{"parts":[{"file_data":{"file_uri":"files/abc"}}]},"contents":[]}"#, .file),
        (
            .gemini,
            #"{"contents":[{"parts":[{"functionResponse":{"name":"f","response":{},"parts":[{"fileData":{"fileUri":"files/x"}}]}}]}]}"#,
            .file
        ),
        (.gemini, #"{"cachedContent":"cachedContents/abc","contents":[]}"#, .storedContext),
        (.gemini, #"{"cached_content":"cachedContents/abc","contents":[]}"#, .storedContext),
        (.gemini, #"{"tools":[{"googleSearch":{}}],"contents":[]}"#, .providerTool),
        (.gemini, #"{"tools":[{"url_context":{}}],"contents":[]}"#, .providerTool),
        (.gemini, #"{"tools":[{"codeExecution":{}}],"contents":[]}"#, .providerTool),
        // Documents and video sent inline, priced by their pages or seconds.
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}"#,
            .inlineDocument
        ),
        (
            .openai,
            #"{"messages":[{"role":"user","content":[{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}}]}]}"#,
            .inlineDocument
        ),
        (
            .openai,
            #"{"input":[{"role":"user","content":[{"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}]}]}"#,
            .inlineDocument
        ),
        (
            .gemini, #"{"contents":[{"parts":[{"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}}]}]}"#,
            .inlineDocument
        ),
        (
            .gemini, #"{"contents":[{"parts":[{"inline_data":{"mime_type":"video/mp4","data":"AAAA"}}]}]}"#,
            .inlineDocument
        ),
        // Cohere.
        (.cohere, #"{"message":"news?","connectors":[{"id":"web-search"}]}"#, .providerTool),
    ]

    @Test(arguments: named.indices)
    func aRequestThatNamesItsInputIsFound(index: Int) throws {
        let (family, body, expected) = Self.named[index]
        #expect(try Self.found(body, family) == expected, "\(body)")
    }

    static let carried: [(APIFamily?, String)] = [
        (.anthropic, #"{"messages":[{"role":"user","content":"Read https://example.com/a.pdf"}]}"#),
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}"#
        ),
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"the whole text"}}]}]}"#
        ),
        // A tool of the app's own named like a provider's, and an earlier call whose input names a file.
        (
            .anthropic,
            #"{"tools":[{"name":"web_search","input_schema":{"type":"object","properties":{"file_id":{"type":"string"}}}}],"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"web_search","input":{"file_id":"file_9","url":"https://example.com"}}]}]}"#
        ),
        (
            .anthropic,
            #"{"tools":[{"type":"bash_20250124","name":"bash"},{"type":"custom","name":"web_search_tool"}],"messages":[]}"#
        ),
        (
            .openai,
            #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}"#
        ),
        (
            .openai,
            #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"DATA:image/png;base64,iVBORw0KGgo="}}]}]}"#
        ),
        (.openai, #"{"tools":[{"type":"function","function":{"name":"web_search","parameters":{}}}],"messages":[]}"#),
        (.openai, #"{"prompt":"Once upon a time","max_tokens":5}"#),
        (.openai, #"{"previous_response_id":null,"conversation":null,"web_search_options":null,"input":"hi"}"#),
        (.openai, #"{"tools":[{"type":"function","name":"file_search","parameters":{}}],"input":"hi"}"#),
        (.gemini, #"{"contents":[{"parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}]}"#),
        (.gemini, #"{"tools":[{"functionDeclarations":[{"name":"googleSearch","parameters":{}}]}],"contents":[]}"#),
        (
            .gemini,
            #"{"contents":[{"parts":[{"functionCall":{"name":"f","args":{"fileData":{"fileUri":"files/x"}}}}]}]}"#
        ),
        (
            .cohere,
            #"{"messages":[{"role":"user","content":"Summarize https://example.com"}],"documents":[{"data":{"text":"t"}}]}"#
        ),
        (.cohere, #"{"message":"hi","connectors":[]}"#),
    ]

    @Test(arguments: carried.indices)
    func aRequestThatCarriesItsInputIsNotFound(index: Int) throws {
        let (family, body) = Self.carried[index]
        #expect(try Self.found(body, family) == nil, "\(body)")
    }

    /// Images at URLs, in every family and wherever they sit: the provider fetches them, and
    /// what one may cost depends on who serves the request (``InlineMedia/worstCaseTokens(pricedBy:)``);
    /// the scan goes on past them. Documents at URLs stay unbounded.
    static let fetchedImages: [(APIFamily?, String)] = [
        (
            .gemini,
            #"{"contents":[{"parts":[{"fileData":{"fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc","mimeType":"image/png"}}]}]}"#
        ),
        (.gemini, #"{"contents":[{"parts":[{"file_data":{"file_uri":"files/abc","mime_type":"IMAGE/JPEG"}}]}]}"#),
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}"#
        ),
        (
            .anthropic,
            #"{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{"type":"url","url":"https://example.com/b.png"}}]}]}]}"#
        ),
        (
            .openai,
            #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"#
        ),
        (
            .openai,
            #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":"https://example.com/a.png"}]}]}"#
        ),
        (
            nil,
            #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://10.0.0.2/a.png"}}]}]}"#
        ),
        (
            .openai,
            #"{"input":[{"role":"user","content":[{"type":"input_image","image_url":"https://example.com/a.png"}]}]}"#
        ),
        (
            .openai,
            #"{"input":[{"type":"function_call_output","call_id":"c","output":[{"type":"input_image","image_url":"https://example.com/a.png"}]}]}"#
        ),
        (
            .cohere,
            #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"#
        ),
    ]

    @Test(arguments: fetchedImages.indices)
    func anImageAtAURLIsAFetchedImage(index: Int) throws {
        let (family, body) = Self.fetchedImages[index]
        let scan = try Self.scan(body, family)
        #expect(scan.unbounded == nil, "\(body)")
        #expect(scan.media == [.fetchedImage], "\(body)")
    }

    /// The scan goes on past a fetched image, to a document named after it.
    @Test func aDocumentAfterAFetchedImageIsFound() throws {
        let body =
            #"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}]}]}"#
        let scan = try Self.scan(body, .anthropic)
        #expect(scan.unbounded == .url)
        #expect(scan.media == [.fetchedImage])
    }

    /// Images sent inline are counted (a provider charges a tiny one as a whole tile), in every
    /// family and wherever they sit; text and audio sent inline are carried.
    @Test func inlineImagesAreCounted() throws {
        let png = "iVBORw0KGgo="
        let cases: [(APIFamily?, String, Int)] = [
            (
                .anthropic,
                #"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"\#(png)"}},{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"\#(png)"}}]}]}]}"#,
                2
            ),
            (
                .openai,
                #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,\#(png)"}},{"type":"image_url","image_url":{"url":"data:image/png;base64,\#(png)"}},{"type":"text","text":"two"}]}]}"#,
                2
            ),
            (
                .openai,
                #"{"input":[{"role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,\#(png)"}]}]}"#,
                1
            ),
            (
                .gemini,
                #"{"contents":[{"parts":[{"inlineData":{"mimeType":"image/png","data":"\#(png)"}},{"inline_data":{"mime_type":"audio/wav","data":"UklG"}},{"inlineData":{"mimeType":"text/plain","data":"aGk="}}]}]}"#,
                1
            ),
            (
                .cohere,
                #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,\#(png)"}}]}]}"#,
                1
            ),
            (.anthropic, #"{"messages":[{"role":"user","content":"no images"}]}"#, 0),
        ]
        for (family, body, images) in cases {
            let scan = try Self.scan(body, family)
            #expect(scan.unbounded == nil, "\(body)")
            #expect(scan.media.count { $0.kind != .audio } == images, "\(body)")
        }
    }

    /// Nesting past the depth followed ends the search rather than the process.
    @Test func deepNestingEndsTheSearch() throws {
        var content = #"[{"type":"text","text":"deep"}]"#
        for _ in 0..<60 { content = #"[{"type":"tool_result","tool_use_id":"t","content":"# + content + "}]" }
        #expect(try Self.found(#"{"messages":[{"role":"user","content":"# + content + "}]}", .anthropic) == nil)
    }
}
