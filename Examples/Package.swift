// swift-tools-version:6.2
import Foundation
import PackageDescription

/// Examples of apps built on the Byoky SDK. Build them with
/// `swift build --package-path Examples` from the repository root.
let package = Package(
    name: "byoky-examples",
    platforms: [.macOS(.v15), .iOS(.v18)],
    dependencies: [
        .package(name: "byoky-swift", path: "../"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // A terminal chat app: connects to the local wallet and streams answers.
        .executableTarget(
            name: "byoky-chat",
            dependencies: [
                .product(name: "ByokySDK", package: "byoky-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // How Swift LLM clients (URLSession-based, base-URL-based) run on a byoky session.
        .executableTarget(
            name: "provider-clients",
            dependencies: [
                .product(name: "ByokySDK", package: "byoky-swift")
            ]
        ),
        // An app backend that uses its users' wallets through their front ends (backend relay).
        .executableTarget(
            name: "relay-backend",
            dependencies: [
                .product(name: "ByokySDK", package: "byoky-swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)

// The Swift blocks of README.md and docs/*.md, compiled as an app would (scripts/extract-snippets.py
// writes them to DocSnippets/, which scripts/test.sh does before building this package).
let snippets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("DocSnippets")
if FileManager.default.fileExists(atPath: snippets.path) {
    package.targets.append(
        .executableTarget(
            name: "DocSnippets",
            dependencies: [
                .product(name: "ByokySDK", package: "byoky-swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            path: "DocSnippets",
            // The docs' JavaScript blocks, checked by node (scripts/test.sh), not compiled here.
            exclude: ["js"]
        )
    )
}
