import ByokyCore
import ByokyStore
import ByokyWallet
import Hummingbird

/// Groups, app assignments and token caps over the control socket, so the CLI changes them
/// through a running daemon (which applies them to the next request at once).
extension ControlRoutes {
    struct AssignBody: Decodable {
        let group: String
    }

    func addRoutingRoutes(to router: Router<BasicRequestContext>) {
        router.get("/groups") { _, _ in
            await Self.answer { try await wallet.groupSummaries() }
        }
        router.post("/groups") { request, _ in
            await Self.answer {
                try await wallet.addGroup(Self.decode(GroupCreationRequest.self, from: request))
            }
        }
        router.delete("/groups/{name}") { _, context in
            await Self.answer {
                try await wallet.removeGroup(Self.segment(context, "name"))
                return try await wallet.groupSummaries()
            }
        }
        router.put("/assignments/{app}") { request, context in
            await Self.answer {
                let assign = try await Self.decode(AssignBody.self, from: request)
                try await wallet.assign(app: Self.segment(context, "app"), toGroup: assign.group)
                return Changed(changed: true)
            }
        }
        router.delete("/assignments/{app}") { _, context in
            await Self.answer { Changed(changed: try await wallet.unassign(app: Self.segment(context, "app"))) }
        }
        router.get("/limits") { _, _ in
            await Self.answer { try await wallet.allowanceStatuses() }
        }
        router.put("/limits") { request, _ in
            await Self.answer {
                let setting = try await Self.decode(AllowanceSetting.self, from: request)
                try await wallet.setAllowance(
                    app: setting.app,
                    tokens: setting.tokens,
                    provider: setting.provider.map { ProviderID($0) },
                    period: setting.period
                )
                return try await wallet.allowanceStatuses()
            }
        }
        router.delete("/limits") { request, _ in
            await Self.answer {
                let query = request.uri.queryParameters
                guard let app = query.get("app"), let period = AllowancePeriod(rawValue: query.get("period") ?? "")
                else { throw ByokyError(.invalidRequest, "Name the app and the period of the limit to remove") }
                try await wallet.removeAllowance(
                    app: app,
                    provider: query.get("provider").map { ProviderID($0) },
                    period: period
                )
                return try await wallet.allowanceStatuses()
            }
        }
    }
}
