import ByokyCore
import FuzzSupport

/// Differential fuzzing of the wallet's path rule: `PathSegmentPolicy` must agree with
/// `PathDecodingOracle` (a plainer model that decodes the whole path) on every input, and a URL
/// that `AbsoluteURL` accepts must have a path the rule calls safe.
@_cdecl("LLVMFuzzerTestOneInput")
public func pathFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count <= 4096 else { return 0 }
    let path = Array(UnsafeRawBufferPointer(start: start, count: count))
    let safe = PathSegmentPolicy.isSafe(path)
    precondition(safe == PathDecodingOracle.isSafe(path), "policy and oracle disagree")
    if let text = String(validating: path, as: UTF8.self), text.first == "/",
        let url = AbsoluteURL("https://api.example.com" + text)
    {
        precondition(PathSegmentPolicy.isSafe(Array(url.path.utf8)), "a parsed URL kept an unsafe path")
    }
    return 0
}

/// The entry point SwiftPM links for this executable: libFuzzer's driver (FuzzSupport).
@_cdecl("PathFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { start, count in pathFuzz(start, count) }
}
