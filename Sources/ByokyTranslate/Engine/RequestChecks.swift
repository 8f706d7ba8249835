internal import ByokyCore

/// Checks every writer runs before writing a request for another family.
enum RequestChecks {
    /// Refuses a request that used something its reader could not carry.
    static func refuseUnsupported(_ request: ChatRequest, target: APIFamily) throws(ByokyError) {
        if let feature = request.unsupportedFeatures.first {
            throw .unsupported(feature, target: target)
        }
    }

    /// The names of tools called in the conversation, by call id (for formats whose results need the name).
    static func toolNames(in request: ChatRequest) -> [String: String] {
        var names: [String: String] = [:]
        for message in request.messages {
            for case .toolUse(let call) in message.content { names[call.id] = call.name }
        }
        return names
    }
}
