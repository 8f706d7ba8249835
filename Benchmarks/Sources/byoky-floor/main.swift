import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// The floors of a proxy on SwiftNIO that Benchmarks/Bridge/run.sh measures beside the nginx hop
// and the bridge, none of them a usable proxy: `relay` (Relay.swift), `http` (HTTPProxy.swift),
// `splice` (Splice.swift), and `lean-wallet` (LeanWallet.swift: the splice with the work a wallet
// cannot skip).
// Usage: byoky-floor relay|http|splice|lean-wallet UPSTREAM_PORT LISTEN_PORT

let arguments = CommandLine.arguments
guard arguments.count == 4, ["relay", "http", "splice", "lean-wallet"].contains(arguments[1]),
    let upstreamPort = Int(arguments[2]), let listenPort = Int(arguments[3])
else {
    print("usage: byoky-floor relay|http|splice|lean-wallet UPSTREAM_PORT LISTEN_PORT")
    exit(2)
}
let mode = arguments[1]
if mode == "lean-wallet" {
    // A throw-away audit log: in FLOOR_LOG_DIR (run.sh's own scratch folder), or a new folder
    // under /tmp.
    var template = Array("/tmp/byoky-floor-XXXXXX".utf8CString)
    guard let directory = getenv("FLOOR_LOG_DIR") ?? mkdtemp(&template) else {
        fatalError("no folder for the audit log")
    }
    let path = String(cString: directory)
    try MultiThreadedEventLoopGroup.singleton.any().makeFutureWithTask { try await LeanLog.open(in: path) }.wait()
}
let server = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            if mode == "relay" {
                try operations.addHandler(ClientToUpstream(upstreamPort: upstreamPort))
            } else if mode == "splice" {
                try operations.addHandler(SplicedRequests(upstreamPort: upstreamPort))
            } else if mode == "lean-wallet" {
                try operations.addHandler(LeanRequests(upstreamPort: upstreamPort))
            } else {
                try operations.configureHTTPServerPipeline(withPipeliningAssistance: false)
                try operations.addHandler(RequestToUpstream(upstreamPort: upstreamPort))
            }
        }
    }
    .bind(host: "127.0.0.1", port: listenPort).wait()
print("listening on 127.0.0.1:\(listenPort)")
fflush(nil)  // stdout is a file under run.sh: announce at once
try server.closeFuture.wait()
