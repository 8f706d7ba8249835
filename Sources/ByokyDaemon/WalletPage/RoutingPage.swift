import ByokyCore
import ByokyHTTPServer
import ByokyWallet

/// Groups: send an app's requests to a provider (and model, key or received gift) of the owner's
/// choosing; apps asking for another API family are translated.
enum RoutingPage {
    static func body(
        _ groups: [GroupSummary],
        apps: [String],
        keys: [CredentialSummary],
        gifts: [ReceivedGiftSummary],
        csrf: String
    ) -> HTML {
        let rows = groups.map { group -> HTML in
            let provider = ProviderRegistry.provider(ProviderID(group.provider))
            let family = provider?.family.map(familyName) ?? group.provider
            let assigned = group.apps.map { app -> HTML in
                """
                <form method="post" action="/wallet/routing/unassign" class="inline tag">
                  \(WalletPageLayout.csrfField(csrf))<input type="hidden" name="app" value="\(app)">
                  <span>\(app)</span> <button type="submit" aria-label="Take \(app) out of \(group.name)">×</button>
                </form>
                """
            }
            let pinned: HTML =
                group.pinnedKey.map { "key “\($0)”" }
                ?? group.pinnedGift.map { "received gift \(String($0.prefix(8)))…" } ?? "any of your keys"
            return """
                <tr data-group="\(group.name)">
                  <td data-label="Group"><strong>\(group.name)</strong></td>
                  <td data-label="Sends to">\(provider?.displayName ?? group.provider)<br><small>\(group.model ?? "the model the app asks for") · \(pinned)</small></td>
                  <td data-label="Apps">\(assigned.isEmpty ? "<small>none yet</small>" : HTML(trusted: assigned.map(\.description).joined()))</td>
                  <td data-label="Translation"><small>Apps written for another API are translated to \(family).</small></td>
                  <td>
                    <form method="post" action="/wallet/routing/groups/remove" data-confirm="Remove this group? Its apps go back to the providers they ask for.">
                      \(WalletPageLayout.csrfField(csrf))<input type="hidden" name="name" value="\(group.name)">
                      <button type="submit" class="danger">Remove</button>
                    </form>
                  </td>
                </tr>
                """
        }
        let table: HTML =
            groups.isEmpty
            ? "<p class=\"empty\">No groups: every app reaches the provider it asks for, with your key for it.</p>"
            : """
            <div class="scroll"><table>
              <thead><tr><th>Group</th><th>Sends to</th><th>Apps</th><th>Translation</th><th></th></tr></thead>
              <tbody>\(rows)</tbody>
            </table></div>
            """
        let providers = ProviderRegistry.all.filter { $0.family != nil }.map { provider -> HTML in
            "<option value=\"\(provider.id.rawValue)\">\(provider.displayName)</option>"
        }
        let models = ModelCatalog.all.map { model -> HTML in
            "<option value=\"\(model.id)\">\(model.displayName)</option>"
        }
        let keyOptions = keys.map { key -> HTML in
            "<option value=\"\(key.id)\">\(key.label) (\(key.provider))</option>"
        }
        let giftOptions = gifts.filter { $0.status == "active" }.map { gift -> HTML in
            let provider = ProviderRegistry.provider(ProviderID(gift.provider))?.displayName ?? gift.provider
            return
                "<option value=\"\(gift.id)\">from \(gift.from) (\(provider), \(gift.maxTokens - gift.usedTokens) tokens left)</option>"
        }
        let giftChoice: HTML =
            giftOptions.isEmpty
            ? ""
            : """
            <label>Or a gift you received <select name="gift"><option value="">none</option>\(giftOptions)</select></label>
            <p class="meta">A gift serves only its own provider, through its giver's wallet while that is online.</p>
            """
        let groupOptions = groups.map { group -> HTML in "<option value=\"\(group.name)\">\(group.name)</option>" }
        let appOptions = apps.map { app -> HTML in "<option value=\"\(app)\"></option>" }
        let assign: HTML =
            groups.isEmpty
            ? ""
            : """
            <h2>Put an app in a group</h2>
            <form method="post" action="/wallet/routing/assign" class="stacked">
              \(WalletPageLayout.csrfField(csrf))
              <label>App <input name="app" list="known-apps" required maxlength="200" placeholder="the app's name"></label>
              <datalist id="known-apps">\(appOptions)</datalist>
              <label>Group <select name="group" required>\(groupOptions)</select></label>
              <button type="submit" class="primary">Assign</button>
            </form>
            """
        return """
            \(table)
            \(assign)
            <h2>Add a group</h2>
            <form method="post" action="/wallet/routing/groups" class="stacked">
              \(WalletPageLayout.csrfField(csrf))
              <label>Name <input name="name" required maxlength="64" pattern="[A-Za-z0-9._-]+" placeholder="e.g. fast"></label>
              <label>Provider <select name="provider" required>\(providers)</select></label>
              <label>Model <input name="model" list="known-models" maxlength="200" placeholder="leave empty: the model the app asks for"></label>
              <datalist id="known-models">\(models)</datalist>
              <label>Key <select name="key"><option value="">any of your keys for that provider</option>\(keyOptions)</select></label>
              \(giftChoice)
              <button type="submit" class="primary">Add group</button>
            </form>
            """
    }

    /// An API family as people know it.
    static func familyName(_ family: APIFamily) -> String {
        switch family {
        case .anthropic: "Anthropic Messages"
        case .openai: "OpenAI Chat Completions"
        case .gemini: "Gemini generateContent"
        case .cohere: "Cohere Chat v2"
        }
    }
}
