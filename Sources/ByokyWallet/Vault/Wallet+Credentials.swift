public import ByokyCore
public import ByokyStore

extension Wallet {
    /// Adds a credential and returns its record.
    ///
    /// - Parameters:
    ///   - provider: A registry provider.
    ///   - secret: The API key or setup token.
    ///   - label: A unique name; defaults to the provider's name (numbered when taken).
    ///   - baseURL: Required for Azure OpenAI, Ollama and LM Studio; allowed for any provider.
    ///   - chosenID: The id to give it (a key pulled from a vault keeps its id); default a new one.
    ///   - version: The version it had elsewhere (a key pulled from a vault); default now.
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` (unknown provider, empty key, a key's text that
    ///   cannot be one (``KeyText``), label taken),
    ///   `INVALID_URL` (bad base URL), `WALLET_LOCKED`.
    @discardableResult
    public func addCredential(
        provider providerID: ProviderID,
        secret: SecretString,
        label: String? = nil,
        baseURL: String? = nil,
        authMethod: AuthMethod? = nil,
        id chosenID: String? = nil,
        version: Int64? = nil
    ) async throws -> CredentialRecord {
        let key = try requireDataKey()
        let (provider, normalizedBase) = try Self.credentialTarget(provider: providerID, baseURL: baseURL)
        guard !secret.isEmpty || provider.isLocal else {
            throw ByokyError(.invalidRequest, "The key is empty")
        }
        if let problem = KeyText.problem(with: secret.exposedValue) { throw ByokyError(.invalidRequest, problem) }
        let method =
            authMethod ?? (providerID == .anthropic && secret.exposedValue.hasPrefix("sk-ant-oat") ? .oauth : .apiKey)
        guard provider.authMethods.contains(method) else {
            throw ByokyError(.invalidRequest, "\(provider.displayName) does not accept \(method.rawValue) credentials")
        }

        let existing = Set(try await store.credentials().map(\.label))
        var chosen = label ?? provider.displayName
        if let label {
            try Self.checkNewKeyLabel(label, against: existing)
        } else {
            var number = 2
            while existing.contains(chosen) {
                chosen = "\(provider.displayName) \(number)"
                number += 1
            }
        }

        let id = chosenID ?? SecureRandom.uuid()
        let sealed = try SecretBox.seal(
            Array(secret.exposedValue.utf8),
            using: key,
            authenticating: Self.associatedData(credentialID: id)
        )
        let record = CredentialRecord(
            id: id,
            provider: providerID,
            label: chosen,
            authMethod: method,
            sealedSecret: Base64.encode(sealed),
            maskedSecret: maskKey(secret.exposedValue),
            baseURL: normalizedBase,
            createdAt: now(),
            updatedAt: version
        )
        try await store.insert(record)
        try await store.forgetTombstone(id: id)
        cache.invalidate()
        return record
    }

    /// The provider a key for `providerID` is stored under, and `baseURL` as it would be stored
    /// (no trailing slash): checked as ``addCredential(provider:secret:label:baseURL:authMethod:id:version:)``
    /// checks them. A caller that asks someone for a key checks these first, so nobody types a
    /// secret for a key that cannot be added.
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` (unknown provider), `INVALID_URL` (a base URL
    ///   that is not usable, or none for a provider that needs one).
    public static func credentialTarget(
        provider providerID: ProviderID,
        baseURL: String?
    ) throws -> (provider: Provider, baseURL: String?) {
        guard let provider = ProviderRegistry.provider(providerID) else {
            let known = ProviderRegistry.ids.map(\.rawValue).joined(separator: ", ")
            throw ByokyError(.invalidRequest, "Unknown provider \"\(providerID.rawValue)\". Known: \(known)")
        }
        guard let baseURL else {
            if provider.requiresCustomBaseURL {
                throw ByokyError(.invalidURL, "\(provider.displayName) needs --base-url (e.g. \(provider.baseURL))")
            }
            return (provider, nil)
        }
        var normalized = try ProviderURLPolicy.baseURL(for: provider, credentialBaseURL: baseURL).description
        if normalized.hasSuffix("/") { normalized.removeLast() }
        return (provider, normalized)
    }

    /// Refuses a label the owner chose for a new key where ``addCredential(provider:secret:label:baseURL:authMethod:id:version:)``
    /// would: empty, over 100 characters, or one of `labels` (the keys stored). A caller that
    /// asks someone for the key checks it first.
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST`.
    public static func checkNewKeyLabel(_ label: String, against labels: some Sequence<String>) throws {
        guard !labels.contains(label) else {
            throw ByokyError(.invalidRequest, "A key named \"\(label)\" already exists; choose another --label")
        }
        guard !label.isEmpty, label.count <= 100 else {
            throw ByokyError(.invalidRequest, "A key label must be 1 to 100 characters")
        }
    }

    /// Every credential (masked; listing needs no unlock).
    public func credentials() async throws -> [CredentialRecord] {
        try await cache.credentials { [store] in try await store.credentials() }
    }

    /// Removes the credential with this id or label.
    public func removeCredential(_ idOrLabel: String) async throws {
        guard let record = try await store.credential(idOrLabel: idOrLabel) else {
            throw ByokyError(.notFound, "No key named \"\(idOrLabel)\" — see `byoky key list`")
        }
        _ = try await store.deleteCredential(id: record.id, removedAt: now())
        cache.invalidate()
    }

    /// Renames the credential with this id or label.
    public func renameCredential(_ idOrLabel: String, to label: String) async throws {
        guard let record = try await store.credential(idOrLabel: idOrLabel) else {
            throw ByokyError(.notFound, "No key named \"\(idOrLabel)\" — see `byoky key list`")
        }
        guard try await store.credential(idOrLabel: label) == nil else {
            throw ByokyError(.invalidRequest, "A key named \"\(label)\" already exists")
        }
        try await store.renameCredential(id: record.id, to: label, at: now())
        cache.invalidate()
    }

    /// Takes another device's version of a key (a pull): its label and secret, and its version.
    func adoptVersion(of record: CredentialRecord, label: String, secret: SecretString, version: Int64) async throws {
        let key = try requireDataKey()
        if label != record.label { try await store.renameCredential(id: record.id, to: label, at: version) }
        let sealed = try SecretBox.seal(
            Array(secret.exposedValue.utf8),
            using: key,
            authenticating: Self.associatedData(credentialID: record.id)
        )
        try await store.replaceSecret(
            id: record.id,
            sealed: Base64.encode(sealed),
            masked: maskKey(secret.exposedValue),
            at: version
        )
        cache.invalidate()
    }

    /// The plain secret of a credential, for the proxy engine's request (never shown or logged).
    public func secret(of record: CredentialRecord) throws -> SecretString {
        try openedSecret(credentialID: record.id, sealed: record.sealedSecret) { key in
            guard let sealed = Base64.decode(record.sealedSecret) else {
                throw ByokyError(.decryptFailed, "The stored key \"\(record.label)\" is damaged")
            }
            do {
                let plain = try SecretBox.open(
                    sealed,
                    using: key,
                    authenticating: Self.associatedData(credentialID: record.id)
                )
                return SecretString(String(decoding: plain, as: UTF8.self))
            } catch {
                throw ByokyError(.decryptFailed, "The stored key \"\(record.label)\" could not be decrypted")
            }
        }
    }

    static func associatedData(credentialID: String) -> [UInt8] {
        Array("byoky.credential.v1:\(credentialID)".utf8)
    }
}
