import ByokyCore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

@testable import ByokyStore

/// An app asks to connect, the owner answers over the control socket, the app gets a session.
@Suite(.timeLimit(.minutes(2)))
struct ConnectFlowTests {
    static let connectBody =
        #"{"app":{"name":"Notes app"},"providers":[{"id":"anthropic","required":true},{"id":"openai","required":false}]}"#

    @Test func approvedAppGetsASessionThatWorksAndCanDisconnect() async throws {
        try await BridgeFixture.with { bridge in
            let ticket = try await bridge.send(.POST, "/v1/connect", body: Self.connectBody)
            #expect(ticket.status == 202)
            let id = try #require(ticket.json["requestId"] as? String)
            #expect(try await bridge.send(.GET, "/v1/connect/\(id)").json["status"] as? String == "pending")

            let pending = try await bridge.control(.GET, "/approvals")
            #expect(pending.text.contains("Notes app"))

            // A long poll answered by the owner's approval, well before its timeout.
            async let polled = bridge.send(.GET, "/v1/connect/\(id)?wait=10")
            try await Task.sleep(for: .milliseconds(300))
            let approval = try await bridge.control(
                .POST,
                "/approvals/\(id)/approve",
                body: #"{"providers":["anthropic"]}"#
            )
            #expect(approval.status == 200)
            #expect(approval.json["status"] as? String == "approved")
            #expect(!approval.text.contains("byk_"))
            let answer = try await polled
            #expect(answer.json["status"] as? String == "approved")
            let session = try #require(answer.json["session"] as? [String: Any])
            let key = try #require(session["sessionKey"] as? String)
            #expect(key.hasPrefix("byk_"))
            #expect(session["proxyUrl"] as? String == "http://127.0.0.1:\(bridge.port)")
            let providers = try #require(session["providers"] as? [String: [String: Any]])
            #expect(providers["anthropic"]?["available"] as? Bool == true)
            #expect(providers["openai"]?["available"] as? Bool == false)

            let route = BridgeTests.routes[0]
            let used = try await bridge.send(.POST, route.path, body: route.body, headers: [("x-api-key", key)])
            #expect(used.status == 200)
            let notGranted = try await bridge.send(
                .POST,
                "/openai/v1/chat/completions",
                body: BridgeTests.routes[1].body,
                headers: [("authorization", "Bearer \(key)")]
            )
            #expect(notGranted.status == 403)

            let status = try await bridge.send(.GET, "/v1/session", headers: [("x-api-key", key)])
            #expect(status.json["connected"] as? Bool == true)
            let usage = try await bridge.send(.GET, "/v1/session/usage", headers: [("x-api-key", key)])
            #expect(usage.json["requests"] as? Int == 2)
            #expect(usage.json["outputTokens"] as? Int == 12)

            #expect(try await bridge.send(.POST, "/v1/session/disconnect", headers: [("x-api-key", key)]).status == 200)
            #expect(
                try await bridge.send(.GET, "/v1/session", headers: [("x-api-key", key)]).json["connected"] as? Bool
                    == false
            )
            #expect(
                try await bridge.send(.POST, route.path, body: route.body, headers: [("x-api-key", key)]).status == 401
            )
        }
    }

    @Test func deniedAndUnservableRequestsSayWhy() async throws {
        try await BridgeFixture.with { bridge in
            let denied = try #require(
                try await bridge.send(.POST, "/v1/connect", body: Self.connectBody).json["requestId"] as? String
            )
            #expect(try await bridge.control(.POST, "/approvals/\(denied)/deny").status == 200)
            let deniedStatus = try await bridge.send(.GET, "/v1/connect/\(denied)").json
            #expect(deniedStatus["status"] as? String == "denied")
            #expect((deniedStatus["error"] as? [String: Any])?["code"] as? String == "USER_REJECTED")
            #expect(try await bridge.control(.POST, "/approvals/\(denied)/approve").status == 404)

            let needsMistral = #"{"app":{"name":"M"},"providers":[{"id":"mistral","required":true}]}"#
            let id = try #require(
                try await bridge.send(.POST, "/v1/connect", body: needsMistral).json["requestId"] as? String
            )
            let answer = try await bridge.control(.POST, "/approvals/\(id)/approve")
            #expect(answer.json["status"] as? String == "denied")
            #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "PROVIDER_UNAVAILABLE")

            let mismatch = try await bridge.send(
                .POST,
                "/v1/connect",
                body:
                    #"{"app":{"name":"W","origin":"https://b.example"},"providers":[{"id":"openai","required":false}]}"#,
                headers: [("origin", "https://a.example")]
            )
            #expect(mismatch.status == 403)
            let malformed = try await bridge.send(.POST, "/v1/connect", body: #"{"providers":[]}"#)
            #expect(malformed.status == 400)
            #expect(((malformed.json["error"] as? [String: Any])?["message"] as? String)?.contains("app") == true)
            #expect(try await bridge.send(.GET, "/v1/connect/nope").status == 404)
            #expect(FilePermissions.mode(of: bridge.folder.path + "/control.sock") == 0o600)
        }
    }
}

struct ApprovalBookTests {
    static let request = ConnectRequest(app: AppIdentity(name: "A"), providers: [ProviderRequirement(id: .openai)])

    @Test func requestsExpireWhenNobodyAnswers() throws {
        let book = ApprovalBook()
        let approval = try book.submit(Self.request, now: 1000)
        #expect(book.status(of: approval.id, now: 2000)?.status == .pending)
        #expect(book.pending(now: 2000).map(\.id) == [approval.id])
        #expect(book.status(of: approval.id, now: 1000 + ApprovalBook.lifetime)?.status == .expired)
        #expect(book.pending(now: 1000 + ApprovalBook.lifetime).isEmpty)
        #expect(!book.decide(approval.id, ConnectStatus(requestId: approval.id, status: .approved)))
    }

    @Test func oneAppCannotFloodTheOwner() throws {
        let book = ApprovalBook()
        for _ in 0..<ApprovalBook.maximumPerAppPerMinute { _ = try book.submit(Self.request, now: 5000) }
        #expect(throws: ByokyError(.tooManyRequests, "")) { try book.submit(Self.request, now: 5000) }
        _ = try book.submit(Self.request, now: 5000 + 61_000)
        #expect(throws: ByokyError(.invalidRequest, "")) {
            try book.submit(ConnectRequest(app: AppIdentity(name: "A"), providers: []), now: 0)
        }
        #expect(throws: ByokyError(.invalidRequest, "")) {
            try book.submit(
                ConnectRequest(app: AppIdentity(name: "A\nB"), providers: [ProviderRequirement(id: .openai)]),
                now: 0
            )
        }
    }

    @Test func appNamesCannotCarryTerminalControlCharacters() {
        let book = ApprovalBook()
        for name in ["A\nB", "evil\u{1B}[2Jname", "bell\u{07}", "c1\u{9B}x"] {
            #expect(throws: ByokyError(.invalidRequest, "")) {
                try book.submit(
                    ConnectRequest(app: AppIdentity(name: name), providers: [ProviderRequirement(id: .openai)]),
                    now: 0
                )
            }
        }
        #expect(
            (try? book.submit(
                ConnectRequest(app: AppIdentity(name: "Notes 📝 app"), providers: [ProviderRequirement(id: .openai)]),
                now: 0
            )) != nil
        )
    }
}
