import ByokyTesting
import Foundation
import Testing

/// Through the real daemon, whose requests run on the event loop of their app's connection: a
/// translated request's whole answer is translated and written from the provider connection's
/// read (``EarlyAnswer``), its event streams by the request's task, one after the other on the
/// same keep-alive connection. Each answer is the app's family, complete and right, and each
/// request is in the log with its usage.
@Suite(.timeLimit(.minutes(2)))
struct TranslatedAnswerTests {
    /// Sends `count` Anthropic requests on one keep-alive connection (every third one a stream)
    /// and prints one line of JSON a request: status, content type, notes, what the answer said.
    static let client = """
        import http.client, json, os, sys, urllib.parse
        base = urllib.parse.urlparse(os.environ["ANTHROPIC_BASE_URL"])
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=10)
        for i in range(int(sys.argv[1])):
            stream = i % 3 == 2
            body = {"model": "claude-sonnet-4-6", "max_tokens": 32, "stream": stream,
                    "messages": [{"role": "user", "content": "Hello number %d" % i}]}
            if i % 2: body["top_k"] = 5
            connection.request("POST", base.path + "/v1/messages", json.dumps(body),
                {"x-api-key": os.environ["ANTHROPIC_API_KEY"], "content-type": "application/json"})
            answer = connection.getresponse()
            data = answer.read().decode()
            line = {"status": answer.status, "type": answer.getheader("content-type"),
                    "notes": answer.getheader("x-byoky-translation-notes")}
            if stream:
                events = [json.loads(l[6:]) for l in data.splitlines() if l.startswith("data: ")]
                line["events"] = [e["type"] for e in events]
                line["text"] = "".join(e["delta"].get("text", "") for e in events if e["type"] == "content_block_delta")
            else:
                line["answer"] = json.loads(data)
            print(json.dumps(line), flush=True)
        """

    @Test func wholeAnswersAndStreamsAlternateOnOneConnection() async throws {
        try await WalletCommandTests.Home.with { home in
            let serving = try await home.serveWithMock(provider: "openai", upstreamKey: "sk-any")
            for arguments in [
                ["group", "add", "gpt", "--provider", "openai", "--model", "gpt-5.4"],
                ["group", "add", "failing", "--provider", "openai", "--model", "mock-error-429"],
                ["group", "assign", "translated", "gpt"], ["group", "assign", "refused", "failing"],
            ] {
                let result = try await home.byoky(arguments)
                #expect(result.status == 0, "\(result.stderr)")
            }
            let bridge = "http://127.0.0.1:\(serving.port)"
            let run = try await home.byoky([
                "exec", "--app", "translated", "--providers", "anthropic", "--bridge", bridge, "--", "python3", "-c",
                Self.client, "12",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = try run.stdout.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(lines.count == 12)
            for (index, line) in lines.enumerated() {
                #expect(line["status"] as? Int == 200, "\(line)")
                // What the OpenAI API cannot take is named (`top_k`), on whole answers and streams.
                #expect((line["notes"] as? String ?? "").contains("top_k") == (index % 2 == 1), "\(line)")
                if index % 3 == 2 {
                    #expect((line["type"] as? String)?.hasPrefix("text/event-stream") == true)
                    #expect((line["events"] as? [String])?.last == "message_stop", "\(line)")
                    #expect((line["text"] as? String)?.hasPrefix("Mock reply to: Hello number \(index)") == true)
                    continue
                }
                #expect(line["type"] as? String == "application/json")
                let answer = try #require(line["answer"] as? [String: Any])
                #expect(answer["type"] as? String == "message")
                #expect(answer["model"] as? String == "claude-sonnet-4-6")
                let text = (answer["content"] as? [[String: Any]])?.first?["text"] as? String
                #expect(text?.hasPrefix("Mock reply to: Hello number \(index)") == true, "\(answer)")
                #expect(((answer["usage"] as? [String: Any])?["output_tokens"] as? Int ?? 0) > 0)
            }

            // An error of the provider's is translated too, with its status.
            let refused = try await home.byoky([
                "exec", "--app", "refused", "--providers", "anthropic", "--bridge", bridge, "--", "python3", "-c",
                Self.client, "2",
            ])
            #expect(refused.status == 0, "\(refused.stderr)")
            let firstLine = String(refused.stdout.split(separator: "\n").first ?? "")
            let first = try #require(
                try JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any]
            )
            #expect(first["status"] as? Int == 429)
            let error = try #require(first["answer"] as? [String: Any])
            #expect(error["type"] as? String == "error")
            #expect((error["error"] as? [String: Any])?["type"] as? String == "rate_limit_error")

            // Every request is recorded, routed to OpenAI, with the usage of its answer.
            let log = try await home.byoky(["log", "--limit", "100", "--json"])
            let entries = try #require(
                try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]]
            )
            let translated = entries.filter { $0["appName"] as? String == "translated" }
            #expect(translated.count == 12)
            #expect(translated.allSatisfy { $0["actualProvider"] as? String == "openai" })
            #expect(translated.allSatisfy { $0["status"] as? Int == 200 })
            #expect(translated.allSatisfy { ($0["outputTokens"] as? Int ?? 0) > 0 }, "\(translated)")
            let refusals = entries.filter { $0["appName"] as? String == "refused" }
            #expect(refusals.map { $0["status"] as? Int } == [429, 429])
            await serving.daemon.terminate()
            await serving.mock.terminate()
        }
    }
}
