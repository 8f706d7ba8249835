import AsyncHTTPClient
import ByokyCore
import NIOCore
import Synchronization

#if canImport(FoundationNetworking)
import Foundation
public import FoundationNetworking
#else
public import Foundation
#endif

/// Answers `URLSession` requests to providers' real addresses through a byoky session, for
/// clients that take a `URLSession` or `URLSessionConfiguration` (e.g. MacPaw/OpenAI):
///
/// ```swift
/// let urlSession = URLSession(configuration: session.makeURLSessionConfiguration())
/// // Requests to https://api.openai.com/… now go through the wallet, with the session key.
/// ```
///
/// The configuration routes through the session that made it most recently (one per process).
/// Answers are passed on piece by piece as the wallet sends them; how promptly a client sees them
/// depends on its Foundation (swift-corelibs-foundation may hand them over at the end).
public final class ByokyURLProtocol: URLProtocol {
    private static let current = Mutex<ByokySession?>(nil)
    private let innerTask = Mutex<Task<Void, Never>?>(nil)

    static func route(through session: ByokySession) {
        current.withLock { $0 = session }
    }

    /// The provider whose real address `url` is, when the current session may use it.
    static func provider(for url: URL?) -> (ByokySession, ProviderID)? {
        guard let url, url.scheme == "https", let host = url.host, let session = current.withLock({ $0 }) else {
            return nil
        }
        for provider in ProviderRegistry.all where !provider.requiresCustomBaseURL {
            guard AbsoluteURL(provider.baseURL)?.host == host, session.providers[provider.id.rawValue] != nil else {
                continue
            }
            return (session, provider.id)
        }
        return nil
    }

    public override class func canInit(with request: URLRequest) -> Bool {
        provider(for: request.url) != nil
    }

    public override class func canonicalRequest(for request: URLRequest) -> URLRequest { request }

    public override func startLoading() {
        guard let url = request.url, let (session, provider) = Self.provider(for: url) else {
            client?.urlProtocol(self, didFailWithError: URLError(.unsupportedURL))
            return
        }
        var headers: [(String, String)] = []
        for (name, value) in request.allHTTPHeaderFields ?? [:] { headers.append((name, value)) }
        let body = request.httpBody.map { Array($0) } ?? Self.readAll(request.httpBodyStream)
        let fetchRequest = ByokyFetch.Request(
            url: url.absoluteString,
            method: request.httpMethod ?? "GET",
            headers: headers,
            body: body
        )
        // The loading system calls a protocol from one thread at a time; the box only carries it across.
        let loader = UncheckedBox(value: self)
        let work = Task {
            let this = loader.value
            do {
                let answer = try await session.createFetch(provider)(fetchRequest)
                var fields: [String: String] = [:]
                for (name, value) in answer.headers { fields[name] = value }
                guard
                    let response = HTTPURLResponse(
                        url: url,
                        statusCode: answer.status,
                        httpVersion: "HTTP/1.1",
                        headerFields: fields
                    )
                else { throw URLError(.badServerResponse) }
                this.client?.urlProtocol(this, didReceive: response, cacheStoragePolicy: .notAllowed)
                for try await chunk in answer.body {
                    this.client?.urlProtocol(this, didLoad: Data(chunk.readableBytesView))
                }
                this.client?.urlProtocolDidFinishLoading(this)
            } catch {
                this.client?.urlProtocol(this, didFailWithError: error)
            }
        }
        innerTask.withLock { $0 = work }
    }

    public override func stopLoading() {
        innerTask.withLock { $0?.cancel() }
    }

    private static func readAll(_ stream: InputStream?) -> [UInt8]? {
        guard let stream else { return nil }
        stream.open()
        defer { stream.close() }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while stream.hasBytesAvailable {
            let count = stream.read(&buffer, maxLength: buffer.count)
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }
}

/// Carries a value the compiler cannot prove `Sendable` across a completion handler.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
}

extension ByokySession {
    /// A `URLSessionConfiguration` whose requests to the providers this session may use go
    /// through the wallet (see ``ByokyURLProtocol``).
    public func makeURLSessionConfiguration(base: URLSessionConfiguration = .ephemeral) -> URLSessionConfiguration {
        ByokyURLProtocol.route(through: self)
        let configuration = base
        configuration.protocolClasses = [ByokyURLProtocol.self] + (configuration.protocolClasses ?? [])
        return configuration
    }
}
