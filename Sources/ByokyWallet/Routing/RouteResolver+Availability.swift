public import ByokyCore
public import ByokyStore

extension RouteResolver {
    /// What can be served of each requested provider, for an app in `group`: available when a key
    /// (or a usable received gift) serves it.
    public static func availability(
        for providers: [ProviderID],
        group: GroupRecord?,
        credentials: [CredentialRecord],
        gifts: [ReceivedGiftRecord],
        now: Int64
    ) -> [String: ProviderAvailability] {
        var result: [String: ProviderAvailability] = [:]
        for provider in providers {
            let ownRoute = RouteResolver.resolve(requested: provider, group: group, credentials: credentials)
            if let gift = try? RouteResolver.gift(
                requested: provider,
                group: group,
                ownRoute: ownRoute,
                gifts: gifts,
                now: now
            ) {
                result[provider.rawValue] = ProviderAvailability(
                    available: RouteResolver.isUsable(gift, now: now),
                    authMethod: .apiKey,
                    gift: true
                )
                continue
            }
            // An automatic cross-family route still serves requests, but is not offered at connect:
            // moving an app to another family is the owner's call, made with a group.
            let route = ownRoute.flatMap { $0.kind == .translate && group == nil ? nil : $0 }
            result[provider.rawValue] = ProviderAvailability(
                available: route != nil,
                authMethod: route?.credential.authMethod ?? .apiKey
            )
        }
        return result
    }
}
