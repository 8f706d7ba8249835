import ByokyCore

extension Byoky {
    /// The link form of a pairing code (`byoky://pair/<code>`), which wallets accept as well.
    public static func pairingURL(for code: String) -> String {
        PairingPayload.acceptedPrefixes[0] + code
    }

    /// The pairing link as a QR code for a terminal with a dark background (half-block characters),
    /// for the owner to scan instead of typing it.
    public static func pairingQRCode(for code: String) -> String {
        // A pairing link is far below what a QR code holds.
        (try? QRCode(encoding: Array(pairingURL(for: code).utf8)).terminalText()) ?? ""
    }
}
