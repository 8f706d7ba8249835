/// A JSON value that keeps what a translator must not lose: the order of object members (JSON
/// Schema property order steers generation) and the exact text of numbers.
///
/// Parse with ``JSONNode/parse(_:)``; write with ``JSONNode/write(to:)``.
public enum JSONNode: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as its JSON text (e.g. `"0.1"`, `"12345678901234567890"`).
    case number(String)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)

    /// A number node for an integer.
    public static func int(_ value: Int) -> JSONNode { .number(String(value)) }

    /// A number node for a floating-point value (integral values are written without a fraction).
    public static func double(_ value: Double) -> JSONNode {
        guard value.isFinite else { return .null }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 {
            return .number(String(Int64(value)))
        }
        return .number("\(value)")
    }

    /// An object node with members in the given order; `nil` values are left out. Keys must
    /// differ (checked in debug builds): members are appended without a search, as a writer
    /// that names each member once needs.
    public static func object(_ members: KeyValuePairs<String, JSONNode?>) -> JSONNode {
        var object = JSONObject(capacity: members.count)
        for (key, value) in members {
            guard let value else { continue }
            assert(object[key] == nil, "JSONNode.object: the member \(key) is named twice")
            object.appendUnchecked(key, value)
        }
        return .object(object)
    }
}

extension JSONNode {
    /// The member `key` of an object, or `nil`.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as a `Double`, if this is a number.
    public var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The value as an `Int`, if this is a number with an integral value.
    public var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        if let value = Int(text) { return value }
        if let value = Double(text), value == value.rounded(), abs(value) < 9.0e15 { return Int(value) }
        return nil
    }

    /// The value as a count (tokens, a limit, a number of answers): a number floored and held to
    /// `0...TokenUsage.largestCount`, where no provider's count or limit comes near and sums of
    /// counts stay within an `Int`; `nil` if this is not a number. For counts read from the
    /// network, which ``intValue`` would give as they came, up to `Int.max`.
    public var countValue: Int? {
        guard case .number(let text) = self, let value = Double(text), value.isFinite else { return nil }
        return Int.clamping(value, to: 0...TokenUsage.largestCount)
    }

    /// The Boolean payload, if this is a Boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONNode]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool { self == .null }

    /// Whether two values mean the same JSON: like `==`, but object member order does not matter.
    public func isEquivalent(to other: JSONNode) -> Bool {
        switch (self, other) {
        case (.number(let left), .number(let right)):
            return left == right || (Double(left) != nil && Double(left) == Double(right))
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            return left.allSatisfy { member in right[member.key].map { member.value.isEquivalent(to: $0) } ?? false }
        default:
            return self == other
        }
    }
}

/// The members of a JSON object, in document order. Lookups scan linearly: provider objects are small.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONNode
    }

    /// The members in order.
    public private(set) var members: [Member]

    /// An empty object.
    public init() { members = [] }

    /// An object with `members` in order; later duplicates replace earlier ones.
    public init(_ members: [(String, JSONNode)]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value for `key` (the last member of that name, as JSON parsers read it); setting `nil`
    /// removes every member of the name, setting a new key appends it.
    public subscript(key: String) -> JSONNode? {
        get {
            // The last duplicate wins, as in JSON.parse and the providers' parsers. Lengths are
            // compared first: most names differ in length, and that costs no string comparison.
            // Read in place, by index: a loop over the members would copy each (a retain and
            // release of its key and value).
            let length = key.utf8.count
            return members.withUnsafeBufferPointer { members in
                var index = members.count
                while index > 0 {
                    index &-= 1
                    if members[index].key.utf8.count == length, members[index].key == key {
                        return members[index].value
                    }
                }
                return nil
            }
        }
        set {
            // The last of a name is the one read: it takes the value, and a removal removes
            // every member of the name (an earlier one would be read again).
            let length = key.utf8.count
            if let index = members.lastIndex(where: { $0.key.utf8.count == length && $0.key == key }) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.removeAll { $0.key.utf8.count == length && $0.key == key }
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// An empty object with room for `capacity` members.
    package init(capacity: Int) {
        members = []
        members.reserveCapacity(capacity)
    }

    /// Appends a member without looking for an existing one (the parser's fast path).
    package mutating func appendUnchecked(_ key: String, _ value: JSONNode) {
        members.append(Member(key: key, value: value))
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}
