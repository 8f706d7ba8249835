import ByokyCore
import ByokyTesting
import Foundation
import NIOHTTP1
import Testing

/// Sessions made for a web page answer only that page; sessions made for programs answer no page.
@Suite(.timeLimit(.minutes(2)))
struct OriginBindingTests {
    @Test func webSessionsAreBoundToTheirOrigin() async throws {
        try await BridgeFixture.with { bridge in
            let page = "https://notes.example"
            let body = #"{"app":{"name":"Web notes"},"providers":[{"id":"anthropic","required":true}]}"#
            let preflight = try await bridge.send(.OPTIONS, "/v1/connect", headers: [("origin", page)])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == page)
            let ticket = try await bridge.send(.POST, "/v1/connect", body: body, headers: [("origin", page)])
            #expect(ticket.header("access-control-allow-origin") == page)
            let id = try #require(ticket.json["requestId"] as? String)
            #expect(try await bridge.control(.POST, "/approvals/\(id)/approve").status == 200)
            let answer = try await bridge.send(.GET, "/v1/connect/\(id)", headers: [("origin", page)])
            let key = try #require((answer.json["session"] as? [String: Any])?["sessionKey"] as? String)

            let route = BridgeTests.routes[0]
            let allowedPreflight = try await bridge.send(
                .OPTIONS,
                route.path,
                headers: [("origin", page), ("access-control-request-headers", "x-api-key,content-type")]
            )
            #expect(allowedPreflight.status == 204)
            #expect(allowedPreflight.header("access-control-allow-headers") == "x-api-key,content-type")
            let fromPage = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [("x-api-key", key), ("origin", page)]
            )
            #expect(fromPage.status == 200)
            #expect(fromPage.header("access-control-allow-origin") == page)

            let elsewhere = "https://evil.example"
            #expect(try await bridge.send(.OPTIONS, route.path, headers: [("origin", elsewhere)]).status == 403)
            let stolen = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [("x-api-key", key), ("origin", elsewhere)]
            )
            #expect(stolen.status == 403)
            #expect(stolen.header("x-byoky-error-code") == "ORIGIN_NOT_ALLOWED")
            let noOrigin = try await bridge.send(.POST, route.path, body: route.body, headers: [("x-api-key", key)])
            #expect(noOrigin.status == 403)
            let statusFromElsewhere = try await bridge.send(
                .GET,
                "/v1/session/usage",
                headers: [("x-api-key", key), ("origin", elsewhere)]
            )
            #expect(statusFromElsewhere.status == 403)
        }
    }

    @Test func programSessionsRefuseWebPages() async throws {
        try await BridgeFixture.with { bridge in
            let route = BridgeTests.routes[0]
            let fromPage = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [bridge.authHeader(for: .anthropic), ("origin", "https://any.example")]
            )
            #expect(fromPage.status == 403)
            #expect(fromPage.text.contains("belongs to a program"))
            let asProgram = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [bridge.authHeader(for: .anthropic)]
            )
            #expect(asProgram.status == 200)
            #expect(asProgram.header("access-control-allow-origin") == nil)
        }
    }
}
