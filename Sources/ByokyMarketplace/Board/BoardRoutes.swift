import ByokyCore
import ByokyHTTPServer
import ByokyWebFiles
import HTTPTypes
import Hummingbird
import NIOCore

/// The board's pages: `GET /` (the cards), `GET /redeem/{id}` (a gift's link and QR code, under the
/// same rate limit as the API's redemption) and the page's own script and styles (`/shared/` too).
struct BoardRoutes: Sendable {
    let gifts: GiftRoutes
    let apps: AppRoutes

    func register(on router: Router<MarketplaceContext>) {
        router.get("/") { request, _ in
            do {
                let (_, listing) = try await gifts.list(request)
                let provider = request.uri.queryParameters.get("provider").flatMap { $0.isEmpty ? nil : $0 }
                return Self.html(BoardPage.board(listing, provider: provider, now: gifts.configuration.clock()))
            } catch let error as MarketplaceError {
                return Self.html(BoardPage.message("Not that", error.message), status: error.status)
            }
        }
        router.get("/catalogue") { request, _ in
            do {
                let listing = try await apps.catalogue(request)
                let query = request.uri.queryParameters
                return PageResponse.html(
                    CataloguePage.catalogue(
                        listing,
                        search: query.get("search"),
                        category: query.get("category").flatMap(AppCategory.init(rawValue:))
                    ),
                    // App icons live on the apps' own https hosts.
                    imageSources: PageSecurityHeaders.ownImages + " https:"
                )
            } catch let error as MarketplaceError {
                return Self.html(BoardPage.message("Not that", error.message), status: error.status)
            }
        }
        router.get("/redeem/{id}") { request, context in
            do {
                try gifts.exchange.limit(gifts.redeems, request, context)
                let gift = try await gifts.redeemable(context)
                let item = BoardItem(
                    gift,
                    now: gifts.configuration.clock(),
                    onlineWindow: gifts.configuration.onlineWindow
                )
                return Self.html(BoardPage.redemption(item, link: gift.giftLink))
            } catch let error as MarketplaceError {
                return Self.html(BoardPage.message("Not available", error.message), status: error.status)
            }
        }
        // The board's own files, and those it shares with the wallet page.
        let asset: @Sendable (Request, MarketplaceContext) async throws -> Response = { request, _ in
            guard let file = WebFiles.file(at: request.uri.path) else {
                return Self.html(BoardPage.message("Not found", "There is no such file."), status: 404)
            }
            return PageResponse.file(file.bytes, contentType: file.contentType, entityTag: file.entityTag)
        }
        router.get("/marketplace/assets/{file}", use: asset)
        router.get("/shared/{file}", use: asset)
    }

    static func html(_ page: HTML, status: Int = 200) -> Response {
        PageResponse.html(page, status: HTTPResponse.Status(code: status))
    }
}
