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
    ]
)
