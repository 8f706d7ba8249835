// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets, in their own package so only they are built with `-sanitize=fuzzer`.
/// Run them with `scripts/fuzz.sh` from the repository root.
let package = Package(
    name: "byoky-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "byoky-swift", path: "../"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // libFuzzer's driver for SwiftPM executables, shared by every target.
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "TranslateFuzz",
            dependencies: [
                "FuzzSupport",
                .product(name: "ByokyTranslate", package: "byoky-swift"),
                .product(name: "ByokyCore", package: "byoky-swift"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // PathDecodingOracle.swift is a link to the test helper of the same name (one oracle for tests and fuzzing).
        .executableTarget(
            name: "PathFuzz",
            dependencies: ["FuzzSupport", .product(name: "ByokyCore", package: "byoky-swift")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // One executable for the parsers of outside input; BYOKY_FUZZ_TARGET picks the parser.
        .executableTarget(
            name: "ParsersFuzz",
            dependencies: [
                "FuzzSupport",
                .product(name: "ByokyCore", package: "byoky-swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
