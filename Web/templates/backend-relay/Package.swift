// swift-tools-version:6.0
import PackageDescription

// __APP_NAME__: an app backend that answers through its users' own byoky wallets.
let package = Package(
    name: "__APP_SLUG__",
    platforms: [.macOS(.v15)],
    dependencies: [
        __BYOKY_PACKAGE__,
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "App",
            dependencies: [
                .product(name: "ByokySDK", package: "byoky-swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]
        )
    ]
)
