import ByokyCore
import Testing

@testable import ByokyProxyHTTP

/// A request's task that comes to claim its answer learns whether that answer was written early,
/// even when the connection's next answer was written early before it came: a request started
/// with no task (``ProxyRoute/startDirectly``) is answered as soon as the answer before it ended.
/// (A task that took an early-written answer for unwritten would write it a second time, empty.)
struct ProxyRouteHandlerClaimTests {
    static func handler() -> ProxyRouteHandler {
        let route = ProxyRoute(
            bodyLimit: 1024,
            provider: { _ in nil },
            respond: { _, provider, _, _ in .response(ProxiedRequest.bodyTooLarge(limit: 1024, for: provider)) }
        )
        return ProxyRouteHandler(route: route)
    }

    @Test func anAnswerWrittenEarlyIsKnownAsSuchAfterTheNextOneWasToo() {
        let handler = Self.handler()
        handler.noteWrittenEarly(1)
        // The next request, started with no task, was answered early before the first task came.
        handler.noteWrittenEarly(2)
        #expect(handler.claimAnswer(1))
        #expect(handler.claimAnswer(2))
    }

    @Test func anAnswerNotWrittenEarlyIsClaimedForItsTask() {
        let handler = Self.handler()
        handler.noteWrittenEarly(1)
        #expect(!handler.claimAnswer(2))
        // Once claimed, it is not awaited for an early write any more.
        #expect(!handler.isAwaitingAnswer(2))
    }
}
