// swift-tools-version:6.2
import PackageDescription

/// Settings applied to every target of the package (see STYLE.md §1).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "byoky-swift",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "ByokyCore", targets: ["ByokyCore"]),
        .library(name: "ByokyTranslate", targets: ["ByokyTranslate"]),
        .library(name: "ByokyStore", targets: ["ByokyStore"]),
        .library(name: "ByokyWallet", targets: ["ByokyWallet"]),
        .library(name: "ByokyDaemon", targets: ["ByokyDaemon"]),
        .library(name: "ByokySDK", targets: ["ByokySDK"]),
        .library(name: "ByokyRelay", targets: ["ByokyRelay"]),
        .library(name: "ByokyMockProvider", targets: ["ByokyMockProvider"]),
        .executable(name: "byoky", targets: ["byoky"]),
        .executable(name: "byoky-mock-provider", targets: ["byoky-mock-provider"]),
        .executable(name: "byoky-relay", targets: ["byoky-relay"]),
        .library(name: "ByokyMarketplace", targets: ["ByokyMarketplace"]),
        .executable(name: "byoky-marketplace", targets: ["byoky-marketplace"]),
        .library(name: "ByokyVault", targets: ["ByokyVault"]),
        .executable(name: "byoky-vault", targets: ["byoky-vault"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // No default traits: full Foundation and swift-configuration support are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // Layer 0: pure values, formats and policies. No networking, no I/O.
        .target(
            name: "ByokyCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 0: the files of Web/ (the browser SDK), embedded by the EmbedWebFiles plugin.
        .target(
            name: "ByokyWebFiles",
            dependencies: ["ByokyCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings,
            plugins: ["EmbedWebFiles"]
        ),
        .executableTarget(name: "byoky-embed-web", swiftSettings: swiftSettings),
        .plugin(name: "EmbedWebFiles", capability: .buildTool(), dependencies: ["byoky-embed-web"]),
        // Layer 1: cross-family translation (pure, no I/O).
        .target(name: "ByokyTranslate", dependencies: ["ByokyCore"], swiftSettings: swiftSettings),
        // Layer 1: persistence.
        .target(
            name: "ByokyStore",
            dependencies: [
                "ByokyCore",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 2: the wallet and its proxy engine.
        .target(
            name: "ByokyWallet",
            dependencies: [
                "ByokyCore",
                "ByokyRelaySocket",
                "ByokyTranslate",
                "ByokyStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Holding relay rooms as their sender: gifts (a wallet, or a vault as fallback) and pairings.
        .target(
            name: "ByokyRelayHost",
            dependencies: [
                "ByokyCore",
                "ByokyRelaySocket",
                "ByokyStore",
                "ByokyWallet",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 3: the daemon that serves the wallet on loopback.
        .target(
            name: "ByokyDaemon",
            dependencies: [
                "ByokyCore",
                "ByokyRelayHost",
                "ByokyRelaySocket",
                "ByokyStore",
                "ByokyWallet",
                "ByokyHTTPServer",
                "ByokyProxyHTTP",
                "ByokyWebFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // Apps' side.
        .target(
            name: "ByokySDK",
            dependencies: [
                "ByokyCore",
                "ByokyRelaySocket",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // Servers an operator runs.
        .target(
            name: "ByokyRelay",
            dependencies: [
                "ByokyCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The servers' database: a SQLite file by default, PostgreSQL by URL, one SQLKit interface.
        .target(
            name: "ByokyServerStore",
            dependencies: [
                "ByokyCore",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The token marketplace: the public board of gifts and its API.
        .target(
            name: "ByokyMarketplace",
            dependencies: [
                "ByokyCore",
                "ByokyHTTPServer",
                "ByokyServerStore",
                "ByokyWebFiles",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The vault: accounts for using a wallet where none runs.
        .target(
            name: "ByokyVault",
            dependencies: [
                "ByokyCore",
                "ByokyHTTPServer",
                "ByokyProxyHTTP",
                "ByokyRelayHost",
                "ByokyServerStore",
                "ByokyStore",
                "ByokyWallet",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "byoky-vault",
            dependencies: [
                "ByokyHTTPServer",
                "ByokyCore",
                "ByokyRelayHost",
                "ByokyVault",
                "ByokyWallet",
                "ByokyServerStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "byoky-marketplace",
            dependencies: [
                "ByokyMarketplace",
                "ByokyServerStore",
                "ByokyCore",
                "ByokyWallet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "byoky-relay",
            dependencies: [
                "ByokyRelay",
                "ByokyCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A client's WebSocket to a relay room (wallet pairings and gifts, paired apps).
        .target(
            name: "ByokyRelaySocket",
            dependencies: [
                "ByokyCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // The proxy engine over HTTP: the session key an SDK sent, streamed answers, CORS (bridge, vault).
        .target(
            name: "ByokyProxyHTTP",
            dependencies: [
                "ByokyCore",
                "ByokyWallet",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs a Hummingbird router for the duration of some work (daemon, mock provider).
        .target(
            name: "ByokyHTTPServer",
            dependencies: [
                "ByokyCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A deterministic fake upstream that speaks all four API families (tests, benchmarks, demo).
        .target(
            name: "ByokyMockProvider",
            dependencies: [
                "ByokyCore",
                "ByokyHTTPServer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared test helpers (fixtures, chunking, interop runners). Used by tests only.
        .target(
            name: "ByokyTesting",
            dependencies: [
                "ByokyCore",
                "ByokySDK",
                "ByokyServerStore",
                "ByokyStore",
                "ByokyWallet",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Reaches the Swift runtime's global-executor hook in a statically linked `byoky` too.
        .target(name: "CByokyConcurrencyHook"),
        // Executables: argument parsing and wiring only.
        .executableTarget(
            name: "byoky",
            dependencies: [
                "CByokyConcurrencyHook",
                "ByokyCore",
                "ByokyStore",
                "ByokyWallet",
                "ByokyDaemon",
                "ByokyRelayHost",
                "ByokyMockProvider",
                "ByokyHTTPServer",
                "ByokyWebFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyCoreTests",
            dependencies: [
                "ByokyCore",
                "ByokyTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "byoky-mock-provider",
            dependencies: [
                "ByokyMockProvider",
                "ByokyCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyTranslateTests",
            dependencies: ["ByokyTranslate", "ByokyCore", "ByokyTesting"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyRelayTests",
            dependencies: [
                "ByokyRelay",
                "ByokyTesting",
                "ByokyCore",
                "ByokyRelaySocket",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyMockProviderTests",
            dependencies: [
                "ByokyMockProvider",
                "ByokyCore",
                "ByokyTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyServerStoreTests",
            dependencies: [
                "ByokyServerStore",
                "ByokyCore",
                "ByokyTesting",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyVaultTests",
            dependencies: [
                "ByokyHTTPServer",
                "ByokyRelay",
                "ByokyRelayHost",
                "ByokySDK",
                "ByokyVault",
                "ByokyWallet",
                "ByokyStore",
                "ByokyMockProvider",
                "ByokyCore",
                "ByokyServerStore",
                "ByokyTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyMarketplaceTests",
            dependencies: [
                "ByokyHTTPServer",
                "ByokyMarketplace",
                "ByokyCore",
                "ByokyServerStore",
                "ByokyTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyWalletTests",
            dependencies: [
                "ByokyWallet",
                "ByokyStore",
                "ByokyCore",
                "ByokyTranslate",
                "ByokyTesting",
                "ByokyMockProvider",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokyDaemonTests",
            dependencies: [
                "ByokyHTTPServer",
                "ByokyProxyHTTP",
                "ByokyRelayHost",
                "ByokyMarketplace",
                "ByokyVault",
                "ByokyServerStore",
                "ByokyDaemon",
                "ByokyWallet",
                "ByokyStore",
                "ByokyCore",
                "ByokyMockProvider",
                "ByokyRelay",
                "ByokyTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ByokySDKTests",
            dependencies: [
                "ByokySDK",
                "ByokyRelay",
                "ByokyCore",
                "ByokyStore",
                "ByokyDaemon",
                "ByokyWallet",
                "ByokyMockProvider",
                "ByokyTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "byokyTests",
            dependencies: [
                "byoky", "byoky-marketplace", "ByokyTesting", "ByokySDK", "ByokyCore", "ByokyServerStore",
                "ByokyRelaySocket", "ByokyWallet",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
