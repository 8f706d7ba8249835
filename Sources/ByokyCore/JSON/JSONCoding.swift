#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The package's JSON entry points, so that every module decodes and encodes the same way.
package enum JSONCoding {
    /// Decodes `type` from UTF-8 JSON bytes.
    package static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// Decodes `type` from a JSON string.
    package static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// Encodes `value` as compact UTF-8 JSON bytes; keys keep the order the encoder writes them in.
    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// Encodes `value` as a compact JSON string.
    package static func encodeString(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Parses bytes into a ``JSONValue``, or `nil` when they are not valid JSON.
    package static func parse(_ bytes: some Collection<UInt8>) -> JSONValue? {
        try? decode(JSONValue.self, from: bytes)
    }
}
