import ByokyCore
import Foundation
import Testing

struct RelayMessageTests {
    private func parse(_ json: String) throws(RelayFrameError) -> RelayMessage { try RelayMessage.parse(json) }

    private func reason(_ json: String, maximumSize: Int = RelayMessage.defaultMaximumSize) -> RelayFrameError? {
        do {
            _ = try RelayMessage.parse(json, maximumSize: maximumSize)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEachFrameType() throws {
        #expect(
            try parse(#"{"type":"relay:hello","sessionId":"relay_1"}"#) == .hello(sessionID: "relay_1", providers: nil)
        )
        #expect(
            try parse(
                #"{"type":"relay:request","requestId":"r1","providerId":"openai","url":"https://api.openai.com/v1/chat/completions","method":"POST","headers":{"content-type":"application/json"},"body":"{}"}"#
            )
                == .request(
                    RelayRequest(
                        requestID: "r1",
                        provider: .openai,
                        url: "https://api.openai.com/v1/chat/completions",
                        method: "POST",
                        headers: ["content-type": "application/json"],
                        body: "{}"
                    )
                )
        )
        #expect(
            try parse(#"{"type":"relay:response:meta","requestId":"r","status":200,"statusText":"OK","headers":{}}"#)
                == .responseMeta(requestID: "r", status: 200, statusText: "OK", headers: [:])
        )
        #expect(
            try parse(#"{"type":"relay:response:chunk","requestId":"r","chunk":"data: x\n\n"}"#)
                == .responseChunk(requestID: "r", chunk: "data: x\n\n")
        )
        #expect(try parse(#"{"type":"relay:response:done","requestId":"r"}"#) == .responseDone(requestID: "r"))
        #expect(
            try parse(#"{"type":"relay:response:error","requestId":"r","error":{"code":"PROXY_ERROR","message":"m"}}"#)
                == .responseError(requestID: "r", error: WireError(code: "PROXY_ERROR", message: "m"))
        )
        #expect(try parse(#"{"type":"relay:ping","ts":5}"#) == .ping(ts: 5))
        #expect(try parse(#"{"type":"relay:pong","ts":5}"#) == .pong(ts: 5))
        #expect(
            try parse(#"{"type":"relay:pair:hello","providers":{"anthropic":{"available":true,"authMethod":"oauth"}}}"#)
                == .pairHello(providers: ["anthropic": ProviderAvailability(available: true, authMethod: .oauth)])
        )
        #expect(try parse(#"{"type":"relay:pair:ack"}"#) == .pairAck)
        #expect(
            try parse(#"{"type":"relay:vault:offer","vaultUrl":"https://v","appSessionToken":"t"}"#)
                == .vaultOffer(vaultURL: "https://v", appSessionToken: "t", providers: nil)
        )
        #expect(
            try parse(#"{"type":"relay:vault:offer:failed","reason":"vault_disabled"}"#)
                == .vaultOfferFailed(reason: "vault_disabled")
        )
        #expect(
            try parse(#"{"type":"relay:auth","roomId":"g","authToken":"t","role":"sender","priority":7.9}"#)
                == .auth(roomID: "g", authToken: "t", role: .sender, priority: 1)
        )
        #expect(
            try parse(#"{"type":"relay:auth:result","success":false,"error":"auth token mismatch"}"#)
                == .authResult(success: false, error: "auth token mismatch", peerOnline: nil)
        )
        #expect(try parse(#"{"type":"relay:peer:status","online":true}"#) == .peerStatus(online: true))
        #expect(
            try parse(#"{"type":"relay:usage","giftId":"g","usedTokens":120}"#) == .usage(giftID: "g", usedTokens: 120)
        )
        #expect(try parse(#"{"type":"relay:usage","roomId":"g","usedTokens":1}"#) == .usage(giftID: "g", usedTokens: 1))
    }

    @Test func rejectsMalformedFramesWithAReason() {
        #expect(reason("not json") == .notJSON)
        #expect(reason("[1]") == .notAnObject)
        #expect(reason("null") == .notAnObject)
        #expect(reason(#"{"sessionId":"x"}"#) == .missingType)
        #expect(reason(#"{"type":5}"#) == .missingType)
        #expect(reason(#"{"type":"BYOKY_CONNECT"}"#) == .notARelayType("BYOKY_CONNECT"))
        #expect(reason(#"{"type":"relay:teleport"}"#) == .unknownType("relay:teleport"))
        #expect(reason(#"{"type":"relay:hello"}"#) == .missingField(type: "relay:hello", field: "sessionId"))
        #expect(
            reason(#"{"type":"relay:request","requestId":"r","providerId":"p","url":"u"}"#)
                == .missingField(type: "relay:request", field: "method")
        )
        #expect(
            reason(#"{"type":"relay:request","requestId":"r","url":"u","method":"GET"}"#)
                == .missingField(type: "relay:request", field: "providerId")
        )
        #expect(
            reason(
                #"{"type":"relay:request","requestId":"r","providerId":"p","url":"u","method":"GET","headers":{"a":1}}"#
            )
                == .invalidField(type: "relay:request", field: "headers")
        )
        #expect(
            reason(#"{"type":"relay:response:meta","requestId":"r"}"#)
                == .missingField(type: "relay:response:meta", field: "status")
        )
        #expect(
            reason(#"{"type":"relay:response:meta","requestId":"r","status":200.5}"#)
                == .invalidField(type: "relay:response:meta", field: "status")
        )
        #expect(
            reason(#"{"type":"relay:response:chunk","requestId":"r"}"#)
                == .missingField(type: "relay:response:chunk", field: "chunk")
        )
        #expect(
            reason(#"{"type":"relay:response:done"}"#) == .missingField(type: "relay:response:done", field: "requestId")
        )
        #expect(
            reason(#"{"type":"relay:response:error","requestId":"r","error":"boom"}"#)
                == .invalidField(type: "relay:response:error", field: "error")
        )
        #expect(reason(#"{"type":"relay:ping"}"#) == .missingField(type: "relay:ping", field: "ts"))
        #expect(reason(#"{"type":"relay:pong","ts":"5"}"#) == .invalidField(type: "relay:pong", field: "ts"))
        #expect(
            reason(#"{"type":"relay:vault:offer","appSessionToken":"t"}"#)
                == .missingField(type: "relay:vault:offer", field: "vaultUrl")
        )
        #expect(
            reason(#"{"type":"relay:vault:offer","vaultUrl":5,"appSessionToken":"t"}"#)
                == .invalidField(type: "relay:vault:offer", field: "vaultUrl")
        )
        #expect(
            reason(#"{"type":"relay:auth","roomId":"g","authToken":"t","role":"admin"}"#)
                == .invalidField(type: "relay:auth", field: "role")
        )
        #expect(
            reason(#"{"type":"relay:pair:hello","providers":{"a":{"available":"yes","authMethod":"api_key"}}}"#)
                == .invalidField(type: "relay:pair:hello", field: "providers")
        )
        #expect(reason(#"{"type":"relay:ping","ts":1}"#, maximumSize: 10) == .tooLarge(limit: 10))
        #expect(RelayFrameError.tooLarge(limit: 10).byokyError.code == .payloadTooLarge)
        #expect(RelayFrameError.notJSON.byokyError.code == .invalidFrame)
    }

    @Test func everyFrameRoundTripsThroughItsEncoding() throws {
        let providers = ["openai": ProviderAvailability(available: true, authMethod: .apiKey, gift: true)]
        let frames: [RelayMessage] = [
            .hello(sessionID: "relay_x", providers: providers),
            .request(
                RelayRequest(requestID: "1", provider: .gemini, url: "https://u", method: "POST", headers: ["a": "b"])
            ),
            .responseMeta(requestID: "1", status: 429, statusText: nil, headers: ["retry-after": "2"]),
            .responseChunk(requestID: "1", chunk: "ünï\n"), .responseDone(requestID: "1"),
            .responseError(requestID: "1", error: WireError(.giftBudgetExhausted("x"))),
            .responseError(requestID: "2", error: nil), .ping(ts: 1_764_000_000_000), .pong(ts: 1),
            .pairHello(providers: providers), .pairAck,
            .vaultOffer(vaultURL: "https://v", appSessionToken: "t", providers: providers),
            .vaultOfferFailed(reason: "token_expired"),
            .auth(roomID: "r", authToken: "t", role: .recipient, priority: 0),
            .authResult(success: true, error: nil, peerOnline: true), .peerStatus(online: false),
            .usage(giftID: "g", usedTokens: 99), .requestCancel(requestID: "1"),
            .responseData(requestID: "1", bytes: [0, 0xFF]),
            .hello(sessionID: "relay_y", providers: nil, correlationID: "user-1"),
            .auth(roomID: "v2_r", authToken: "t", role: .sender, priority: 1, senderKey: "k"),
            .sealedRequest(requestID: "3", encapsulatedKey: "ZW5j", ciphertext: "Y3Q"),
            .sealedResponse(requestID: "3", sequence: 7, ciphertext: "Y3Q"),
            .pairHello(providers: providers, publicKey: "cGs", proof: "cHJvb2Y"),
            .sessionUsage(
                SessionUsage(
                    requests: 2,
                    inputTokens: 10,
                    outputTokens: 5,
                    byProvider: ["anthropic": .init(requests: 2, inputTokens: 10, outputTokens: 5)]
                )
            ),
        ]
        #expect(Set(frames.map(\.type)) == RelayMessage.knownTypes)
        for frame in frames {
            #expect(try RelayMessage.parse(frame.encoded()) == frame)
        }
    }
}

extension ByokyError {
    fileprivate static func giftBudgetExhausted(_ message: String) -> ByokyError {
        ByokyError(.giftBudgetExhausted, message)
    }
}

struct WalletAPITests {
    @Test func connectRequestDecodesWithDefaults() throws {
        let request = try WalletAPI.decode(
            ConnectRequest.self,
            from: Array(
                #"{"app":{"name":"Chat"},"providers":[{"id":"anthropic","required":true},{"id":"openai","required":false}]}"#
                    .utf8
            )
        )
        #expect(request.app == AppIdentity(name: "Chat"))
        #expect(
            request.providers == [
                ProviderRequirement(id: .anthropic, required: true), ProviderRequirement(id: .openai),
            ]
        )
        #expect(request.reconnectOnly == nil)
    }

    @Test func badBodiesGetReasonsThatNeverEchoTheBody() {
        func failure(_ body: String, limit: Int = WalletAPI.maximumBodySize) -> ByokyError? {
            do {
                _ = try WalletAPI.decode(ConnectRequest.self, from: Array(body.utf8), maximumSize: limit)
                return nil
            } catch {
                return error as? ByokyError
            }
        }
        #expect(failure("{oops")?.message == "The body is not valid JSON")
        #expect(failure(#"{"providers":[]}"#)?.message == "The body is missing \"app\"")
        #expect(failure(#"{"app":{"name":"x"},"providers":"all"}"#)?.message == "The body has an invalid \"providers\"")
        #expect(failure(#"{"app":{"name":"sk-secret"},"providers":[]}"#, limit: 10)?.code == .payloadTooLarge)
        #expect(
            failure(#"{"app":{"name":"x"},"providers":[{"id":"a","required":"sk-secret"}]}"#)?.message.contains(
                "sk-secret"
            ) == false
        )
    }

    @Test func responsesEncodeWithTheDocumentedFieldNames() throws {
        let status = ConnectStatus(
            requestId: "p1",
            status: .approved,
            session: ConnectResponse(
                sessionKey: "byk_x",
                proxyUrl: "http://127.0.0.1:19280",
                providers: ["anthropic": ProviderAvailability(available: true, authMethod: .apiKey)],
                expiresAt: 5
            )
        )
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(WalletAPI.encode(status))) as? [String: Any]
        )
        #expect(object["status"] as? String == "approved")
        let session = try #require(object["session"] as? [String: Any])
        #expect(session["proxyUrl"] as? String == "http://127.0.0.1:19280")
        let event = String(decoding: WalletAPI.encode(WalletEvent(type: .sessionRevoked)), as: UTF8.self)
        #expect(event == #"{"type":"session.revoked"}"#)
        let envelope = String(decoding: WalletAPI.encode(WireErrorEnvelope(.userRejected())), as: UTF8.self)
        #expect(envelope.contains(#""code":"USER_REJECTED""#))
        #expect(WireError(code: "NEW", message: "m").byokyError.code.rawValue == "NEW")
        #expect(
            try WalletAPI.decode(
                WalletHealth.self,
                from: WalletAPI.encode(WalletHealth(version: "0.1.0", locked: true))
            ).locked
        )
    }
}
