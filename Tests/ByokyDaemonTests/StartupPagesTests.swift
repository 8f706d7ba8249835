#if os(Linux)
import ByokyDaemon
import Foundation
import Testing

/// What `byoky serve` gives back once started: only its executable's mappings that cannot be
/// written and were never written; and giving them back leaves the process working.
@Suite struct StartupPagesTests {
    static let smaps = """
        55d000000000-55d000100000 r--p 00000000 08:01 42    /opt/byoky/bin/byoky
        Size:               1024 kB
        Rss:                 512 kB
        Anonymous:             0 kB
        VmFlags: rd mr mw me dw
        55d000100000-55d002000000 r-xp 00100000 08:01 42    /opt/byoky/bin/byoky
        Rss:               20000 kB
        Anonymous:             0 kB
        55d002000000-55d002100000 r--p 02000000 08:01 42    /opt/byoky/bin/byoky
        Anonymous:           344 kB
        55d002100000-55d002500000 rw-p 02100000 08:01 42    /opt/byoky/bin/byoky
        Anonymous:           900 kB
        7f0000000000-7f0000100000 r-xp 00000000 08:01 77    /usr/lib/x86_64-linux-gnu/libc.so.6
        Anonymous:             0 kB
        7f0000200000-7f0000300000 rw-p 00000000 00:00 0
        Anonymous:          1024 kB
        7f0000400000-7f0000401000 r-xp 00000000 08:01 43    /opt/byoky/bin/byoky two
        Anonymous:             0 kB
        """

    @Test func onlyTheExecutablesNeverWrittenReadOnlyMappingsAreReleased() {
        let mappings = StartupPages.mappings(smaps: Self.smaps)
        #expect(mappings.count == 7)
        #expect(mappings[2].anonymousKiB == 344)
        #expect(mappings[6].path == "/opt/byoky/bin/byoky two")
        let released = StartupPages.releasable(mappings, executable: "/opt/byoky/bin/byoky")
        // The relocated RELRO pages (written) and the data stay; other files and anonymous memory stay.
        #expect(released.map(\.start) == [0x55d0_0000_0000, 0x55d0_0010_0000])
        #expect(released.allSatisfy { !$0.permissions.contains("w") && $0.anonymousKiB == 0 })
    }

    @Test func releasingKeepsTheProcessWorkingAndLowersWhatItHolds() throws {
        func executableRSS() throws -> Int {
            let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            let text = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
            var total = 0
            var inExecutable = false
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if let first = fields.first, first.contains("-"), fields.count >= 5 {
                    inExecutable =
                        fields.count > 5 && fields[5...].joined(separator: " ") == executable
                        && !fields[1].contains("w")
                } else if inExecutable, fields.first == "Rss:", let kib = Int(fields[1]) {
                    total += kib
                }
            }
            return total
        }
        let before = try executableRSS()
        #expect(StartupPages.release() > 0)
        let after = try executableRSS()
        #expect(after < before, "\(before) → \(after) KiB")
        // Code released a moment ago runs again (its pages come back from the page cache).
        let words = (0..<1000).map { String($0) }.joined(separator: ",").split(separator: ",")
        #expect(words.count == 1000)
        #expect(try JSONSerialization.jsonObject(with: Data(#"{"ok":true}"#.utf8)) is [String: Any])
    }
}
#endif
