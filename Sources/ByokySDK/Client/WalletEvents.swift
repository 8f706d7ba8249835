import AsyncHTTPClient
public import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// The wallet's events for one session (`providers.updated`, then `session.revoked` at the end),
/// read from the wallet's event stream as they arrive.
public struct WalletEvents: AsyncSequence, Sendable {
    public typealias Element = WalletEvent

    let body: HTTPClientResponse.Body

    public func makeAsyncIterator() -> Iterator {
        Iterator(upstream: body.makeAsyncIterator())
    }

    public struct Iterator: AsyncIteratorProtocol {
        var upstream: HTTPClientResponse.Body.AsyncIterator
        var decoder = SSEDecoder(maximumEventSize: 1_048_576)
        var pending: [WalletEvent] = []
        var finished = false

        @concurrent public mutating func next() async throws -> WalletEvent? {
            while pending.isEmpty {
                guard !finished, let chunk = try await upstream.next() else { return nil }
                for event in try decoder.feed(Array(chunk.readableBytesView)) {
                    guard let decoded = try? JSONDecoder().decode(WalletEvent.self, from: Data(event.data)) else {
                        continue
                    }
                    pending.append(decoded)
                    if decoded.type == .sessionRevoked { finished = true }
                }
            }
            return pending.removeFirst()
        }
    }
}

extension ByokySession {
    /// Subscribes to the wallet's events for this session; the sequence ends after
    /// `session.revoked`, when the wallet goes away, or when the task is cancelled.
    public func events() async throws -> WalletEvents {
        var request = HTTPClientRequest(url: proxyURL + "/v1/events")
        for (name, value) in authHeaders { request.headers.add(name: name, value: value) }
        let response: HTTPClientResponse
        do {
            response = try await WalletClient.http.execute(request, timeout: .seconds(30))
        } catch {
            throw ByokyError.walletNotInstalled(hint: "The byoky wallet did not answer — \(Byoky.installHint())")
        }
        guard response.status == .ok else {
            throw ByokyError(.unauthorized, "The wallet refused the event stream (status \(response.status.code))")
        }
        return WalletEvents(body: response.body)
    }
}
