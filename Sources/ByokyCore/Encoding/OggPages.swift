/// The packets of an Ogg file (RFC 3533): pages of `OggS`, each with a granule position, a
/// stream's serial number and a table of segment lengths, a packet's segments running across
/// pages until one shorter than 255 bytes ends it.
enum OggPages {
    /// What the walk found of one packet: its stream, its first bytes (up to 8) and its length.
    struct Packet {
        var serial: UInt32
        var head: [UInt8]
        var length: Int
    }

    /// The most streams with a packet left unfinished at once.
    static let maximumStreams = 16

    /// The most bytes of a packet's start kept (`OpusHead` is eight).
    static let headLength = 8

    /// Calls `packet` for each packet of `bytes` (a whole file) in order, and `granule` with each
    /// page's granule position and stream; `false` when the file is not pages from end to end.
    /// A packet a page leaves unfinished, not continued by the stream's next page, is passed on
    /// as it is (a decoder drops it; counting it only counts more). Pages of more than
    /// ``maximumStreams`` streams end the walk (`false`): what is kept stream by stream stays small.
    static func walk(
        _ bytes: [UInt8],
        packet: (Packet) -> Bool,
        granule: (UInt32, Int64) -> Void
    ) -> Bool {
        var unfinished: [UInt32: Packet] = [:]
        var offset = 0
        while offset < bytes.count {
            guard offset + 27 <= bytes.count, bytes[offset..<(offset + 4)].elementsEqual("OggS".utf8),
                bytes[offset + 4] == 0
            else { return false }
            let continued = bytes[offset + 5] & 1 != 0
            let position = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + 6 + $1]) << (8 * UInt64($1)) }
            let serial = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + 14 + $1]) << (8 * UInt32($1)) }
            let segments = Int(bytes[offset + 26])
            let table = offset + 27
            var data = table + segments
            guard data <= bytes.count else { return false }
            granule(serial, Int64(bitPattern: position))
            var current = unfinished.removeValue(forKey: serial)
            guard unfinished.count < maximumStreams else { return false }
            if let partial = current, !continued {
                guard packet(partial) else { return false }
                current = nil
            }
            for index in 0..<segments {
                let length = Int(bytes[table + index])
                guard data + length <= bytes.count else { return false }
                var building = current ?? Packet(serial: serial, head: [], length: 0)
                let wanted = min(headLength - building.head.count, length)
                if wanted > 0 { building.head += bytes[data..<(data + wanted)] }
                building.length += length
                data += length
                if length < 255 {
                    guard packet(building) else { return false }
                    current = nil
                } else {
                    current = building
                }
            }
            if let current { unfinished[serial] = current }
            offset = data
        }
        // Packets left unfinished at the end of the file.
        for partial in unfinished.values { guard packet(partial) else { return false } }
        return true
    }
}
