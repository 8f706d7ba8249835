extension UsageReport.Counts {
    /// Read from the bytes of a `usage` object without building it (what `init(_: JSONNode?)`
    /// reads from the parsed object, member for member: the last of a repeated name wins, a value
    /// of the wrong kind counts as absent).
    ///
    /// - Throws: ``PlainJSONReader/Failure/invalid`` when the bytes are not JSON,
    ///   ``PlainJSONReader/Failure/needsParser`` when they are JSON this reader leaves to the
    ///   parser (not an object, a name with an escape).
    init(plainJSON bytes: UnsafeRawBufferPointer) throws(PlainJSONReader.Failure) {
        var counts = Self()
        try PlainJSONReader.readObject(bytes) { name, reader throws(PlainJSONReader.Failure) in
            func named(_ candidate: StaticString) -> Bool { PlainJSONReader.name(name, is: candidate) }
            if named("input_tokens") {
                counts.input_tokens = try reader.number()
            } else if named("output_tokens") {
                counts.output_tokens = try reader.number()
            } else if named("prompt_tokens") {
                counts.prompt_tokens = try reader.number()
            } else if named("completion_tokens") {
                counts.completion_tokens = try reader.number()
            } else if named("total_tokens") {
                counts.total_tokens = try reader.number()
            } else if named("cache_read_input_tokens") {
                counts.cache_read_input_tokens = try reader.number()
            } else if named("cache_creation_input_tokens") {
                counts.cache_creation_input_tokens = try reader.number()
            } else if named("prompt_tokens_details") {
                counts.prompt_tokens_details = try Details(reading: &reader)
            } else if named("completion_tokens_details") {
                counts.completion_tokens_details = try Details(reading: &reader)
            } else if named("input_tokens_details") {
                counts.input_tokens_details = try Details(reading: &reader)
            } else if named("output_tokens_details") {
                counts.output_tokens_details = try Details(reading: &reader)
            } else if named("tokens") {
                counts.tokens = try CohereTokens(reading: &reader)
            } else if named("billed_units") {
                counts.billed_units = try CohereTokens(reading: &reader)
            } else if named("seconds") {
                counts.seconds = try reader.number()
            } else {
                try reader.skipValue()
            }
        }
        self = counts
    }
}

extension UsageReport.Counts.Details {
    /// The details object at the reader's cursor; `nil` for a value of another kind.
    init?(reading reader: inout PlainJSONReader) throws(PlainJSONReader.Failure) {
        guard let (cached, reasoning) = try reader.numbers("cached_tokens", "reasoning_tokens") else { return nil }
        self.init(cached_tokens: cached, reasoning_tokens: reasoning)
    }
}

extension UsageReport.Counts.CohereTokens {
    /// Cohere's counts at the reader's cursor; `nil` for a value of another kind.
    init?(reading reader: inout PlainJSONReader) throws(PlainJSONReader.Failure) {
        guard let (input, output) = try reader.numbers("input_tokens", "output_tokens") else { return nil }
        self.init(input_tokens: input, output_tokens: output)
    }
}

extension PlainJSONReader {
    /// The numbers named `first` and `second` in the object at the cursor (each the last of its
    /// name, `nil` when absent or not a number); `nil` for a value that is not an object.
    fileprivate mutating func numbers(
        _ first: StaticString,
        _ second: StaticString
    ) throws(Failure) -> (Double?, Double?)? {
        var (one, two): (Double?, Double?)
        let isObject = try object { name, reader throws(Failure) in
            if Self.name(name, is: first) {
                one = try reader.number()
            } else if Self.name(name, is: second) {
                two = try reader.number()
            } else {
                try reader.skipValue()
            }
        }
        return isObject ? (one, two) : nil
    }
}
