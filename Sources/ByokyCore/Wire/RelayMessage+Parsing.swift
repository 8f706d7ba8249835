/// Why a relay frame was rejected.
public enum RelayFrameError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooLarge(limit: Int)
    case notJSON
    case notAnObject
    case missingType
    case notARelayType(String)
    case unknownType(String)
    case missingField(type: String, field: String)
    case invalidField(type: String, field: String)

    public var description: String {
        switch self {
        case .tooLarge(let limit): "frame is larger than \(limit) bytes"
        case .notJSON: "frame is not valid JSON"
        case .notAnObject: "frame is not a JSON object"
        case .missingType: "frame has no string \"type\""
        case .notARelayType: "frame type does not start with \"relay:\""
        case .unknownType(let type): "unknown frame type \(type)"
        case .missingField(let type, let field): "\(type) frame is missing \"\(field)\""
        case .invalidField(let type, let field): "\(type) frame has an invalid \"\(field)\""
        }
    }

    /// The error as a ``ByokyError`` with code `INVALID_FRAME` (or `PAYLOAD_TOO_LARGE`).
    public var byokyError: ByokyError {
        if case .tooLarge(let limit) = self { return .payloadTooLarge("Relay frame", limit: limit) }
        return ByokyError(.invalidFrame, "Invalid relay frame: \(description)")
    }
}

extension RelayMessage {
    /// Parses a text frame.
    public static func parse(
        _ text: String,
        maximumSize: Int = defaultMaximumSize
    ) throws(RelayFrameError)
        -> RelayMessage
    {
        try parse(Array(text.utf8), maximumSize: maximumSize)
    }

    /// Parses a frame's UTF-8 bytes.
    public static func parse(
        _ bytes: [UInt8],
        maximumSize: Int = defaultMaximumSize
    ) throws(RelayFrameError)
        -> RelayMessage
    {
        guard bytes.count <= maximumSize else { throw .tooLarge(limit: maximumSize) }
        guard let value = JSONCoding.parse(bytes) else { throw .notJSON }
        guard case .object(let object) = value else { throw .notAnObject }
        return try parse(object)
    }

    /// Interprets an already parsed JSON object.
    public static func parse(_ object: [String: JSONValue]) throws(RelayFrameError) -> RelayMessage {
        guard let type = object["type"]?.stringValue else { throw .missingType }
        guard type.hasPrefix("relay:") else { throw .notARelayType(type) }
        let fields = Fields(type: type, object: object)
        switch type {
        case "relay:hello":
            return .hello(
                sessionID: try fields.string("sessionId"),
                providers: try fields.providers("providers"),
                correlationID: try fields.optionalString("correlationId")
            )
        case "relay:request":
            return .request(
                RelayRequest(
                    requestID: try fields.string("requestId"),
                    provider: ProviderID(try fields.string("providerId")),
                    url: try fields.string("url"),
                    method: try fields.string("method"),
                    headers: try fields.headers("headers") ?? [:],
                    body: try fields.optionalString("body"),
                    bodyEncoding: try fields.optionalString("bodyEncoding")
                )
            )
        case "relay:response:meta":
            return .responseMeta(
                requestID: try fields.string("requestId"),
                status: try fields.integer("status"),
                statusText: try fields.optionalString("statusText"),
                headers: try fields.headers("headers")
            )
        case "relay:response:chunk":
            let requestID = try fields.string("requestId")
            let chunk = try fields.string("chunk")
            if try fields.optionalString("encoding") == "base64" {
                guard let bytes = Base64.decode(chunk) else { throw .invalidField(type: type, field: "chunk") }
                return .responseData(requestID: requestID, bytes: bytes)
            }
            return .responseChunk(requestID: requestID, chunk: chunk)
        case "relay:request:cancel":
            return .requestCancel(requestID: try fields.string("requestId"))
        case "relay:response:done":
            return .responseDone(requestID: try fields.string("requestId"))
        case "relay:response:error":
            let requestID = try fields.string("requestId")
            var error: WireError?
            if let raw = object["error"], !raw.isNull {
                guard let code = raw["code"]?.stringValue, let message = raw["message"]?.stringValue else {
                    throw .invalidField(type: type, field: "error")
                }
                error = WireError(code: code, message: message)
            }
            return .responseError(requestID: requestID, error: error)
        case "relay:ping":
            return .ping(ts: try fields.number("ts"))
        case "relay:pong":
            return .pong(ts: try fields.number("ts"))
        case "relay:pair:hello":
            guard let providers = try fields.providers("providers") else {
                throw .missingField(type: type, field: "providers")
            }
            return .pairHello(
                providers: providers,
                publicKey: try fields.optionalString("publicKey"),
                proof: try fields.optionalString("proof")
            )
        case "relay:pair:ack":
            return .pairAck
        case "relay:vault:offer":
            return .vaultOffer(
                vaultURL: try fields.string("vaultUrl"),
                appSessionToken: try fields.string("appSessionToken"),
                providers: try fields.providers("providers")
            )
        case "relay:vault:offer:failed":
            return .vaultOfferFailed(reason: try fields.optionalString("reason") ?? "unknown")
        case "relay:auth":
            guard let role = RelayRole(rawValue: try fields.string("role")) else {
                throw .invalidField(type: type, field: "role")
            }
            let priority = try fields.optionalNumber("priority").map { Int.clamping($0, to: 0...1) }
            return .auth(
                roomID: try fields.string("roomId"),
                authToken: try fields.string("authToken"),
                role: role,
                priority: priority,
                senderKey: try fields.optionalString("senderKey")
            )
        case "relay:auth:result":
            return .authResult(
                success: try fields.bool("success"),
                error: try fields.optionalString("error"),
                peerOnline: try fields.optionalBool("peerOnline")
            )
        case "relay:peer:status":
            return .peerStatus(online: try fields.bool("online"))
        case "relay:usage":
            // The original's type says `roomId`, but every implementation sends `giftId`.
            let giftID: String
            if let value = try fields.optionalString("giftId") {
                giftID = value
            } else {
                giftID = try fields.string("roomId")
            }
            return .usage(giftID: giftID, usedTokens: try fields.integer("usedTokens"))
        case "relay:pair:usage":
            guard
                let usage = try? JSONCoding.decode(SessionUsage.self, from: JSONCoding.encode(JSONValue.object(object)))
            else { throw .invalidField(type: type, field: "requests") }
            return .sessionUsage(usage)
        case "relay:request:sealed":
            return .sealedRequest(
                requestID: try fields.string("requestId"),
                encapsulatedKey: try fields.string("enc"),
                ciphertext: try fields.string("ct")
            )
        case "relay:response:sealed":
            return .sealedResponse(
                requestID: try fields.string("requestId"),
                sequence: try fields.integer("seq"),
                ciphertext: try fields.string("ct")
            )
        default:
            throw .unknownType(type)
        }
    }

    /// The frame as UTF-8 JSON text.
    public func encoded() -> [UInt8] {
        var object: [String: JSONValue] = ["type": .string(type)]
        func providersValue(_ providers: [String: ProviderAvailability]) -> JSONValue {
            .object(
                providers.mapValues { availability in
                    var entry: [String: JSONValue] = [
                        "available": .bool(availability.available),
                        "authMethod": .string(availability.authMethod.rawValue),
                    ]
                    if let gift = availability.gift { entry["gift"] = .bool(gift) }
                    return .object(entry)
                }
            )
        }
        switch self {
        case .hello(let sessionID, let providers, let correlationID):
            object["sessionId"] = .string(sessionID)
            if let providers { object["providers"] = providersValue(providers) }
            if let correlationID { object["correlationId"] = .string(correlationID) }
        case .request(let request):
            object["requestId"] = .string(request.requestID)
            object["providerId"] = .string(request.provider.rawValue)
            object["url"] = .string(request.url)
            object["method"] = .string(request.method)
            object["headers"] = .object(request.headers.mapValues(JSONValue.string))
            if let body = request.body { object["body"] = .string(body) }
            if let encoding = request.bodyEncoding { object["bodyEncoding"] = .string(encoding) }
        case .responseMeta(let requestID, let status, let statusText, let headers):
            object["requestId"] = .string(requestID)
            object["status"] = .number(Double(status))
            if let statusText { object["statusText"] = .string(statusText) }
            if let headers { object["headers"] = .object(headers.mapValues(JSONValue.string)) }
        case .responseChunk(let requestID, let chunk):
            object["requestId"] = .string(requestID)
            object["chunk"] = .string(chunk)
        case .responseData(let requestID, let bytes):
            object["requestId"] = .string(requestID)
            object["chunk"] = .string(Base64.encode(bytes))
            object["encoding"] = .string("base64")
        case .responseDone(let requestID), .requestCancel(let requestID):
            object["requestId"] = .string(requestID)
        case .responseError(let requestID, let error):
            object["requestId"] = .string(requestID)
            if let error {
                object["error"] = .object(["code": .string(error.code), "message": .string(error.message)])
            }
        case .ping(let ts), .pong(let ts):
            object["ts"] = .number(ts)
        case .pairHello(let providers, let publicKey, let proof):
            object["providers"] = providersValue(providers)
            if let publicKey { object["publicKey"] = .string(publicKey) }
            if let proof { object["proof"] = .string(proof) }
        case .pairAck:
            break
        case .vaultOffer(let vaultURL, let token, let providers):
            object["vaultUrl"] = .string(vaultURL)
            object["appSessionToken"] = .string(token)
            if let providers { object["providers"] = providersValue(providers) }
        case .vaultOfferFailed(let reason):
            object["reason"] = .string(reason)
        case .auth(let roomID, let authToken, let role, let priority, let senderKey):
            object["roomId"] = .string(roomID)
            object["authToken"] = .string(authToken)
            object["role"] = .string(role.rawValue)
            if let priority { object["priority"] = .number(Double(priority)) }
            if let senderKey { object["senderKey"] = .string(senderKey) }
        case .authResult(let success, let error, let peerOnline):
            object["success"] = .bool(success)
            if let error { object["error"] = .string(error) }
            if let peerOnline { object["peerOnline"] = .bool(peerOnline) }
        case .peerStatus(let online):
            object["online"] = .bool(online)
        case .usage(let giftID, let usedTokens):
            object["giftId"] = .string(giftID)
            object["usedTokens"] = .number(Double(usedTokens))
        case .sessionUsage(let usage):
            if case .object(let fields)? = (try? JSONCoding.encode(usage)).flatMap(JSONCoding.parse) {
                object.merge(fields) { current, _ in current }
            }
        case .sealedRequest(let requestID, let encapsulatedKey, let ciphertext):
            object["requestId"] = .string(requestID)
            object["enc"] = .string(encapsulatedKey)
            object["ct"] = .string(ciphertext)
        case .sealedResponse(let requestID, let sequence, let ciphertext):
            object["requestId"] = .string(requestID)
            object["seq"] = .number(Double(sequence))
            object["ct"] = .string(ciphertext)
        }
        var writer = JSONWriter()
        writer.write(.object(object))
        return writer.bytes
    }
}

/// Typed field access with the rejection reasons of ``RelayFrameError``.
private struct Fields {
    let type: String
    let object: [String: JSONValue]

    func string(_ name: String) throws(RelayFrameError) -> String {
        guard let value = object[name], !value.isNull else { throw .missingField(type: type, field: name) }
        guard let text = value.stringValue else { throw .invalidField(type: type, field: name) }
        return text
    }

    func optionalString(_ name: String) throws(RelayFrameError) -> String? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalidField(type: type, field: name) }
        return text
    }

    func number(_ name: String) throws(RelayFrameError) -> Double {
        guard let value = object[name], !value.isNull else { throw .missingField(type: type, field: name) }
        guard let number = value.numberValue, number.isFinite else { throw .invalidField(type: type, field: name) }
        return number
    }

    func optionalNumber(_ name: String) throws(RelayFrameError) -> Double? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let number = value.numberValue, number.isFinite else { throw .invalidField(type: type, field: name) }
        return number
    }

    func integer(_ name: String) throws(RelayFrameError) -> Int {
        let value = try number(name)
        guard value == value.rounded(), abs(value) < 1e15 else { throw .invalidField(type: type, field: name) }
        return Int(value)
    }

    func bool(_ name: String) throws(RelayFrameError) -> Bool {
        guard let value = object[name], !value.isNull else { throw .missingField(type: type, field: name) }
        guard let flag = value.boolValue else { throw .invalidField(type: type, field: name) }
        return flag
    }

    func optionalBool(_ name: String) throws(RelayFrameError) -> Bool? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw .invalidField(type: type, field: name) }
        return flag
    }

    func headers(_ name: String) throws(RelayFrameError) -> [String: String]? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let members = value.objectValue else { throw .invalidField(type: type, field: name) }
        var headers: [String: String] = [:]
        for (key, member) in members {
            guard let text = member.stringValue else { throw .invalidField(type: type, field: name) }
            headers[key] = text
        }
        return headers
    }

    func providers(_ name: String) throws(RelayFrameError) -> [String: ProviderAvailability]? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let members = value.objectValue else { throw .invalidField(type: type, field: name) }
        var providers: [String: ProviderAvailability] = [:]
        for (key, member) in members {
            guard let available = member["available"]?.boolValue,
                let method = member["authMethod"]?.stringValue.flatMap(AuthMethod.init(rawValue:))
            else { throw .invalidField(type: type, field: name) }
            providers[key] = ProviderAvailability(
                available: available,
                authMethod: method,
                gift: member["gift"]?.boolValue
            )
        }
        return providers
    }
}
