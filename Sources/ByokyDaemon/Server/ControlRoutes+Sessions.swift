import ByokyCore
import ByokyStore
import ByokyWallet
import Hummingbird

/// App sessions, the audit log (and its retention) and usage over the control socket.
extension ControlRoutes {
    func addSessionRoutes(to router: Router<BasicRequestContext>) {
        router.get("/sessions") { _, _ in
            await Self.answer { try await wallet.sessionSummaries() }
        }
        router.delete("/sessions") { _, _ in
            await Self.answer { RevokedCount(revoked: try await wallet.revokeAllSessions()) }
        }
        router.delete("/sessions/{id}") { _, context in
            await Self.answer {
                try await wallet.revokeSession(id: Self.segment(context, "id"))
                return RevokedCount(revoked: 1)
            }
        }
        router.get("/log") { request, _ in
            await Self.answer {
                let query = request.uri.queryParameters
                return try await wallet.log(
                    limit: query.get("limit").flatMap { Int($0) } ?? 20,
                    app: query.get("app"),
                    provider: query.get("provider")
                )
            }
        }
        router.post("/log/prune") { request, _ in
            await Self.answer { try await wallet.pruneLog(Self.decode(LogPruneRequest.self, from: request)) }
        }
        router.get("/log/retention") { _, _ in
            await Self.answer { try await wallet.logRetention() }
        }
        router.put("/log/retention") { request, _ in
            await Self.answer {
                let retention = try await Self.decode(LogRetention.self, from: request)
                try await wallet.setLogRetention(retention)
                return try await wallet.logRetention()
            }
        }
        router.get("/usage") { request, _ in
            await Self.answer {
                let query = request.uri.queryParameters
                guard let period = AllowancePeriod(rawValue: query.get("period") ?? "month") else {
                    throw ByokyError(.invalidRequest, "The period must be day, month or lifetime")
                }
                return try await wallet.usage(in: period, app: query.get("app"))
            }
        }
    }
}
