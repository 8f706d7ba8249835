#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Random bytes and tokens from the system's cryptographic generator.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < count {
                // One system call for up to 256 bytes (`getentropy`'s most), where the standard
                // library's generator makes one for every eight.
                let length = min(256, count - offset)
                if getentropy(buffer.baseAddress! + offset, length) != 0 {
                    // Not expected on a working system; the standard library's generator stops
                    // the process if it cannot draw either.
                    var generator = SystemRandomNumberGenerator()
                    for index in offset..<(offset + length) {
                        buffer[index] = UInt8.random(in: .min ... .max, using: &generator)
                    }
                }
                offset += length
            }
        }
        return bytes
    }

    /// `byteCount` random bytes as lower-case hex (twice as many characters).
    public static func hexToken(byteCount: Int) -> String {
        Hex.encode(bytes(byteCount))
    }

    /// `byteCount` random bytes as URL-safe base64 without padding.
    public static func base64URLToken(byteCount: Int) -> String {
        Base64.encodeURLSafe(bytes(byteCount))
    }

    /// A session key in the original's shape: `byk_` and 32 hex characters (128 bits).
    public static func sessionKey() -> String { "byk_" + hexToken(byteCount: 16) }

    /// A gift bearer token in the original's shape: `gft_` and 32 hex characters (128 bits).
    public static func giftToken() -> String { "gft_" + hexToken(byteCount: 16) }

    /// A random UUID (version 4) in its canonical lower-case text form.
    public static func uuid() -> String {
        var raw = bytes(16)
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        let hex = Hex.encode(raw)
        let chars = Array(hex)
        return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-" + String(chars[12..<16]) + "-"
            + String(chars[16..<20]) + "-" + String(chars[20..<32])
    }
}
