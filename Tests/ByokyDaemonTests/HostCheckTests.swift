import Testing

@testable import ByokyDaemon

/// The bridge answers only requests addressed to the loopback interface by name (DNS rebinding).
struct HostCheckTests {
    @Test(
        "loopback names, with or without a port, in any case",
        arguments: [
            "localhost", "LOCALHOST", "LocalHost:19280", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:19280",
            "localhost:",
        ]
    )
    func loopback(host: String) {
        #expect(HostCheck.isLoopback(host))
    }

    @Test(
        "everything else, however close",
        arguments: [
            "", "evil.example", "evil.example:19280", "localhost.evil.example", "127.0.0.1.nip.io", "127.0.0.2",
            "localhost:80x", "localhost:-1", "localhost:١٢", "[::1", "[::1]x", "[::1]:x", "[::2]", "::1",
            "[0:0:0:0:0:0:0:1]", "localhos", "localhostt", "LOCALHOST\u{0}", "127.0.0.1:80:80", "lOcAlHoSt\u{130}",
            "127\u{0E}0.0.1", "\u{11}27.0.0.1", "LOCALHOST\u{0C}", "lo\u{03}alhost",
        ]
    )
    func notLoopback(host: String) {
        #expect(!HostCheck.isLoopback(host))
    }
}
