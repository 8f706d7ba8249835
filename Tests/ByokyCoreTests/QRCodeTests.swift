import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// The QR encoder, judged by a real decoder: `zbarimg` (Debian's zbar-tools, installed by
/// scripts/setup-tools.sh) must read back exactly what was encoded.
@Suite struct QRCodeTests {
    static let zbarimg = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg", "/opt/homebrew/bin/zbarimg"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Decodes a PBM image of `code` with zbarimg, its QR reader alone (with every reader on, zbar
    /// also finds linear barcodes in a QR code's modules and prints their digits after the text).
    static func decode(_ code: QRCode) async throws -> String {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/code.pbm"
        try code.portableBitmap().write(toFile: path, atomically: true, encoding: .ascii)
        let output = try await ProcessRunner.run(
            URL(fileURLWithPath: try #require(zbarimg)),
            arguments: ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-Sqrcode.binary", path]
        )
        #expect(output.status == 0, "\(output.stderr)")
        var text = output.stdout
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    @Test(.enabled(if: zbarimg != nil), arguments: [1, 14, 17, 50, 120, 300, 700, 1_200])
    func zbarReadsBackWhatWasEncoded(length: Int) async throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:/.")
        var generator = SeededGenerator(seed: UInt64(length))
        let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        let code = try QRCode(encoding: Array(text.utf8))
        #expect(try await Self.decode(code) == text)
    }

    /// A gift link whose code (version 14, low correction, mask 2) holds a pattern zbar's linear
    /// readers take for a barcode: only the QR code's own text may come back.
    @Test(.enabled(if: zbarimg != nil)) func aCodeThatAlsoLooksLikeABarcodeReadsAsItsText() async throws {
        let text =
            "https://byoky.com/gift/OTrCrL3qe2OT930TI4rtIUd19dpiuwzFmVLGIwMgeOQ9GuEfLyGemVvL8kguzt72FVmWUH-Yn878x"
            + "suwrYyuWKYKGzn9BaBNh4jfZqqNM4O6XP7zp9ZKIqkXHHMVs4Gry0w3hTcDfMvoPdnaw2ACD0grYKqohiI24gchblfUww9bLaa24"
            + "5II5WV6pTqyBYmZXa3LISjmng19ZZloG5CQXP1zf-7qudGHCZibj4RHdum1S1gDxT5hgaw866hVF4nkPITo1-LoBD3saNhN2uQH8"
            + "wBzsfKVlceauQMIgSOWg6Yu8NB6ZCBL6MAww3CnDebmcZjU7H-Tf9voWOHT4nBOplNz6GxakfblqIqFd3SgkSctBg0bS87z6C5dt"
            + "cyA0Y3WVMchhpUj53aLCdK7quib81WKKgkhaOGQFvX31T-_eN9Y95"
        let code = try QRCode(encoding: Array(text.utf8), errorCorrection: .low)
        #expect(code.version == 14 && code.mask == 2)
        #expect(try await Self.decode(code) == text)
    }

    @Test(.enabled(if: zbarimg != nil), arguments: QRCode.ErrorCorrection.allCases)
    func everyErrorCorrectionLevelReads(level: QRCode.ErrorCorrection) async throws {
        let payload = PairingPayload.generate(relayURL: "wss://relay.byoky.com", appOrigin: "https://app.example")
        let text = "byoky://pair/" + payload.encoded()
        let code = try QRCode(encoding: Array(text.utf8), errorCorrection: level)
        #expect(try await Self.decode(code) == text)
    }

    @Test func choosesTheSmallestVersionAndRefusesTooMuch() throws {
        // Version 1 at medium holds 14 bytes; 15 need version 2.
        #expect(try QRCode(encoding: Array(repeating: 65, count: 14)).version == 1)
        #expect(try QRCode(encoding: Array(repeating: 65, count: 15)).version == 2)
        #expect(try QRCode(encoding: Array(repeating: 65, count: 2_331)).version == 40)
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 2_332)) {
            try QRCode(encoding: Array(repeating: 65, count: 2_332))
        }
        let code = try QRCode(encoding: Array("hello".utf8))
        #expect(code.size == 21)
        // The three finder patterns sit in their corners.
        for (x, y) in [(0, 0), (20, 0), (0, 20)] { #expect(code.isDark(x: x, y: y)) }
        #expect(!code.isDark(x: 7, y: 7))
    }

    @Test func terminalTextUsesHalfBlocksWithAQuietZone() throws {
        let code = try QRCode(encoding: Array("hello".utf8))
        let lines = code.terminalText(border: 2).split(separator: "\n")
        #expect(lines.count == (21 + 4 + 1) / 2)
        #expect(lines.allSatisfy { $0.count == 25 })
        #expect(lines[0].allSatisfy { $0 == "█" })
    }
}
