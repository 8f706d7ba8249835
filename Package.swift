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
        .library(name: "ByokyVault", targets: ["ByokyVault"]),
        .library(name: "ByokyMarketplace", targets: ["ByokyMarketplace"]),
        .executable(name: "byoky", targets: ["byoky"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
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
        // Layer 1: cross-family translation (pure, no I/O).
        .target(name: "ByokyTranslate", dependencies: ["ByokyCore"], swiftSettings: swiftSettings),
        // Layer 1: persistence.
        .target(name: "ByokyStore", dependencies: ["ByokyCore"], swiftSettings: swiftSettings),
        // Layer 2: the wallet and its proxy engine.
        .target(
            name: "ByokyWallet",
            dependencies: ["ByokyCore", "ByokyTranslate", "ByokyStore"],
            swiftSettings: swiftSettings
        ),
        // Layer 3: the daemon that serves the wallet on loopback.
        .target(name: "ByokyDaemon", dependencies: ["ByokyWallet"], swiftSettings: swiftSettings),
        // Apps' side.
        .target(name: "ByokySDK", dependencies: ["ByokyCore"], swiftSettings: swiftSettings),
        // Servers an operator runs.
        .target(name: "ByokyRelay", dependencies: ["ByokyCore"], swiftSettings: swiftSettings),
        .target(
            name: "ByokyVault",
            dependencies: ["ByokyCore", "ByokyTranslate", "ByokyStore", "ByokyWallet"],
            swiftSettings: swiftSettings
        ),
        .target(name: "ByokyMarketplace", dependencies: ["ByokyCore", "ByokyStore"], swiftSettings: swiftSettings),
        // Shared test helpers (fixtures, chunking, interop runners). Used by tests only.
        .target(name: "ByokyTesting", dependencies: ["ByokyCore"], swiftSettings: swiftSettings),
        // Executables: argument parsing and wiring only.
        .executableTarget(
            name: "byoky",
            dependencies: [
                "ByokyCore",
                "ByokyDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        .testTarget(
            name: "byokyTests",
            dependencies: ["byoky", "ByokyTesting"],
            swiftSettings: swiftSettings
        ),
    ]
)
