// swift-tools-version:6.2
import PackageDescription

/// Benchmarks live in their own package so the main package never depends on the benchmark
/// harness (STYLE.md §10). Run them with `scripts/benchmark.sh` from the repository root.
let package = Package(
    name: "byoky-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "byoky-swift", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "SSEDecoding",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ByokyCore", package: "byoky-swift"),
            ],
            path: "Benchmarks/SSEDecoding",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "byoky-bench",
            dependencies: [
                .product(name: "ByokyCore", package: "byoky-swift"),
                .product(name: "ByokyTranslate", package: "byoky-swift"),
            ],
            path: "Sources/byoky-bench"
        ),
        .executableTarget(
            name: "byoky-relay-bench",
            dependencies: [
                .product(name: "ByokyCore", package: "byoky-swift"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            path: "Sources/byoky-relay-bench"
        ),
        // The floors of a proxy on SwiftNIO that Benchmarks/Bridge/run.sh measures beside the bridge.
        .executableTarget(
            name: "byoky-floor",
            dependencies: [
                .product(name: "ByokyCore", package: "byoky-swift"),
                .product(name: "ByokyStore", package: "byoky-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/byoky-floor"
        ),
    ]
)
