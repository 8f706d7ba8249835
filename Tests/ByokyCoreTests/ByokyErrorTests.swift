import ByokyCore
import Foundation
import Testing

struct ByokyErrorTests {
    @Test func factoriesUseTheOriginalMessagesAndDetails() {
        #expect(ByokyError.userRejected().message == "User rejected the connection request")
        let unavailable = ByokyError.providerUnavailable(.anthropic)
        #expect(unavailable.message == "Provider \"anthropic\" is not available")
        #expect(unavailable.details == ["providerId": "anthropic"])
        #expect(ByokyError.sessionExpired().code == .sessionExpired)
        #expect(ByokyError.rateLimited(retryAfter: 45).message == "Rate limit exceeded — retry after 45s")
        #expect(ByokyError.rateLimited(retryAfter: 45).details["retryAfter"] == "45")
        #expect(ByokyError.rateLimited().message == "Rate limit exceeded")
        #expect(ByokyError.quotaExceeded(.openai).message == "Quota exceeded for openai — check your billing")
        #expect(ByokyError.invalidKey(.gemini).details == ["providerId": "gemini"])
        #expect(ByokyError.tokenExpired(.anthropic).message.contains("re-authentication"))
        #expect(ByokyError.relayConnectionFailed("timeout").message == "Relay connection failed: timeout")
        #expect(ByokyError.relayDisconnected().message == "Relay connection was closed")
    }

    @Test func equalityLooksAtTheCodeOnly() {
        #expect(ByokyError(.notFound, "a") == ByokyError(.notFound, "b"))
        #expect(ByokyError(.notFound, "a") != ByokyError(.invalidKey, "a"))
    }

    @Test func unknownCodesRoundTripThroughJSON() throws {
        let decoded = try JSONDecoder().decode(ByokyError.Code.self, from: Data(#""FUTURE_CODE""#.utf8))
        #expect(decoded.rawValue == "FUTURE_CODE")
        #expect(decoded.httpStatus == 500)
    }

    @Test(arguments: [
        (ByokyError.Code.invalidRequest, 400), (.unauthorized, 401), (.noCredential, 403), (.notFound, 404),
        (.giftExpired, 410), (.payloadTooLarge, 413), (.allowanceExceeded, 429), (.giftBudgetExhausted, 429),
        (.internalError, 500), (.notImplemented, 501), (.translationFailed, 502), (.streamTruncated, 502),
        (.walletLocked, 503), (.giftSenderOffline, 503), (.giftTimeout, 504), (.translationNotSupported, 400),
        (.quotaExceeded, 429), (.providerUnavailable, 403), (.invalidURL, 400),
    ])
    func codesMapToTheirHTTPStatus(code: ByokyError.Code, status: Int) {
        #expect(code.httpStatus == status)
    }

    @Test func everyKnownCodeHasAStatusAndIsUnique() {
        #expect(Set(ByokyError.Code.allKnown).count == ByokyError.Code.allKnown.count)
        for code in ByokyError.Code.allKnown where code != .unknown && code != .internalError {
            #expect(code.httpStatus != 500 || [.decryptFailed, .extensionError].contains(code), "\(code)")
        }
    }

    private func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func anthropicErrorBodyHasTheTypeEnvelope() throws {
        let body = try object(ErrorBody.json(for: .rateLimited(retryAfter: 3), family: .anthropic))
        #expect(body["type"] as? String == "error")
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["type"] as? String == "rate_limit_error")
        #expect(error["message"] as? String == "Rate limit exceeded — retry after 3s")
    }

    @Test func openAIErrorBodyCarriesTypeCodeAndNullParam() throws {
        let body = try object(ErrorBody.json(for: ByokyError(.noCredential, "No key"), family: .openai))
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["message"] as? String == "No key")
        #expect(error["type"] as? String == "permission_error")
        #expect(error["code"] as? String == "NO_CREDENTIAL")
        #expect(error["param"] is NSNull)
    }

    @Test func geminiErrorBodyUsesGoogleStatusNames() throws {
        let body = try object(ErrorBody.json(for: ByokyError(.unauthorized, "bad"), family: .gemini))
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["code"] as? Int == 401)
        #expect(error["status"] as? String == "UNAUTHENTICATED")
        #expect(error["message"] as? String == "bad")
    }

    @Test func cohereErrorBodyIsAMessage() throws {
        let body = try object(ErrorBody.json(for: ByokyError(.invalidRequest, "nope"), family: .cohere))
        #expect(body as NSDictionary == ["message": "nope"] as NSDictionary)
    }

    @Test func streamErrorEventsParseBackWithTheirFamilyShape() throws {
        var decoder = SSEDecoder()
        let anthropic = try decoder.feed(
            ErrorBody.sseEvent(for: ByokyError(.streamTruncated, "cut"), family: .anthropic)
        )
        #expect(anthropic.count == 1)
        #expect(anthropic.first?.type == "error")
        #expect(try object(anthropic[0].data)["type"] as? String == "error")
        let openAI = try decoder.feed(ErrorBody.sseEvent(for: ByokyError(.streamTruncated, "cut"), family: .openai))
        #expect(openAI.first?.type == nil)
        #expect(try object(openAI[0].data)["error"] != nil)
    }

    @Test func descriptionNamesCodeAndMessageOnly() {
        let error = ByokyError(.invalidKey, "Invalid API key for openai", underlying: CancellationError())
        #expect(error.description == "INVALID_KEY: Invalid API key for openai")
        #expect(error.location.contains("ByokyErrorTests.swift"))
    }
}
