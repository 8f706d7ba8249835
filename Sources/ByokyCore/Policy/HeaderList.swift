/// Request headers in the order they are sent, looked up by name (the names are lower-case).
///
/// A request has a handful: a list searched in order costs less than the hashing and copying of
/// a dictionary, and keeps the order the app sent them in. Two lists are equal when they hold the
/// same names and values, in any order.
public struct HeaderList: Sendable, Equatable, ExpressibleByDictionaryLiteral, Sequence {
    /// The headers, in order.
    public private(set) var fields: [(String, String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements
    }

    public var isEmpty: Bool { fields.isEmpty }

    /// Makes room for `count` headers in all.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// The value of header `name` (lower-case); setting `nil` removes it, setting a value
    /// replaces it in place or appends it.
    public subscript(name: String) -> String? {
        get { fields.first { $0.0 == name }?.1 }
        set {
            let index = fields.firstIndex { $0.0 == name }
            switch (index, newValue) {
            case (let index?, let value?): fields[index].1 = value
            case (let index?, nil): fields.remove(at: index)
            case (nil, let value?): fields.append((name, value))
            case (nil, nil): break
            }
        }
    }

    /// The headers as a dictionary (for formats that carry them as an object).
    public var dictionary: [String: String] {
        Dictionary(fields, uniquingKeysWith: { _, last in last })
    }

    public func makeIterator() -> IndexingIterator<[(String, String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HeaderList, rhs: HeaderList) -> Bool {
        lhs.fields.count == rhs.fields.count && lhs.fields.allSatisfy { rhs[$0.0] == $0.1 }
    }
}
