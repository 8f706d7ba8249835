internal import ByokyCore

/// Makes tool-call ids valid for the provider that receives them. An id that already fits is kept;
/// one that does not is replaced by a value derived from it with SHA-256, so the same id maps to the
/// same value in every turn (a call and its result stay paired) and different ids stay different.
enum ToolCallID {
    /// The id to send to `provider` of `family` for the app's `id`.
    static func forTarget(_ id: String, family: APIFamily, provider: ProviderID) -> String {
        if provider == .mistral {
            if id.utf8.count == 9, id.utf8.allSatisfy(isAlphanumeric) { return id }
            return String(base62(SecureHash.sha256Hex(id)).prefix(9))
        }
        switch family {
        case .anthropic:
            if !id.isEmpty, id.utf8.count <= 64, id.utf8.allSatisfy({ isAlphanumeric($0) || $0 == 0x5F || $0 == 0x2D })
            {
                return id
            }
            return "toolu_" + SecureHash.sha256Hex(id).prefix(24)
        case .openai, .gemini, .cohere:
            if !id.isEmpty, id.utf8.count <= 64 { return id }
            return "call_" + SecureHash.sha256Hex(id).prefix(24)
        }
    }

    /// An id for a call the upstream did not name (Gemini may omit ids): unique within the answer.
    static func minted(requestID: String, index: Int) -> String {
        "call_\(requestID.filter { $0.isLetter || $0.isNumber })_\(index)"
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func base62(_ hex: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return String(Hex.decode(hex)?.map { alphabet[Int($0) % 62] } ?? [])
    }
}
