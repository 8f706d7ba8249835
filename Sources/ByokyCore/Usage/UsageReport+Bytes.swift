extension UsageReport.Counts {
    /// Read from the bytes of a `usage` object without building it (what `init(_: JSONNode?)`
    /// reads from the parsed object, member for member: the last of a repeated name wins, a value
    /// of the wrong kind counts as absent).
    ///
    /// - Throws: ``PlainJSONReader/Failure/invalid`` when the bytes are not JSON,
    ///   ``PlainJSONReader/Failure/needsParser`` when they are JSON this reader leaves to the
    ///   parser (not an object, a name with an escape).
    init(plainJSON bytes: UnsafeRawBufferPointer) throws(PlainJSONReader.Failure) {
        var (input, output, prompt, completion): (Double?, Double?, Double?, Double?)
        var (cacheRead, cacheCreation): (Double?, Double?)
        var (promptDetails, completionDetails, inputDetails, outputDetails): (Details?, Details?, Details?, Details?)
        var (tokens, billedUnits): (CohereTokens?, CohereTokens?)
        try PlainJSONReader.readObject(bytes) { name, reader throws(PlainJSONReader.Failure) in
            typealias Read = PlainJSONReader
            if Read.name(name, is: "input_tokens") {
                input = try reader.number()
            } else if Read.name(name, is: "output_tokens") {
                output = try reader.number()
            } else if Read.name(name, is: "prompt_tokens") {
                prompt = try reader.number()
            } else if Read.name(name, is: "completion_tokens") {
                completion = try reader.number()
            } else if Read.name(name, is: "cache_read_input_tokens") {
                cacheRead = try reader.number()
            } else if Read.name(name, is: "cache_creation_input_tokens") {
                cacheCreation = try reader.number()
            } else if Read.name(name, is: "prompt_tokens_details") {
                promptDetails = try Details(reading: &reader)
            } else if Read.name(name, is: "completion_tokens_details") {
                completionDetails = try Details(reading: &reader)
            } else if Read.name(name, is: "input_tokens_details") {
                inputDetails = try Details(reading: &reader)
            } else if Read.name(name, is: "output_tokens_details") {
                outputDetails = try Details(reading: &reader)
            } else if Read.name(name, is: "tokens") {
                tokens = try CohereTokens(reading: &reader)
            } else if Read.name(name, is: "billed_units") {
                billedUnits = try CohereTokens(reading: &reader)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            input_tokens: input,
            output_tokens: output,
            prompt_tokens: prompt,
            completion_tokens: completion,
            cache_read_input_tokens: cacheRead,
            cache_creation_input_tokens: cacheCreation,
            prompt_tokens_details: promptDetails,
            completion_tokens_details: completionDetails,
            input_tokens_details: inputDetails,
            output_tokens_details: outputDetails,
            tokens: tokens,
            billed_units: billedUnits
        )
    }
}

extension UsageReport.Counts.Details {
    /// The details object at the reader's cursor; `nil` for a value of another kind.
    init?(reading reader: inout PlainJSONReader) throws(PlainJSONReader.Failure) {
        var (cached, reasoning): (Double?, Double?)
        let isObject = try reader.object { name, reader throws(PlainJSONReader.Failure) in
            if PlainJSONReader.name(name, is: "cached_tokens") {
                cached = try reader.number()
            } else if PlainJSONReader.name(name, is: "reasoning_tokens") {
                reasoning = try reader.number()
            } else {
                try reader.skipValue()
            }
        }
        guard isObject else { return nil }
        self.init(cached_tokens: cached, reasoning_tokens: reasoning)
    }
}

extension UsageReport.Counts.CohereTokens {
    /// Cohere's counts at the reader's cursor; `nil` for a value of another kind.
    init?(reading reader: inout PlainJSONReader) throws(PlainJSONReader.Failure) {
        var (input, output): (Double?, Double?)
        let isObject = try reader.object { name, reader throws(PlainJSONReader.Failure) in
            if PlainJSONReader.name(name, is: "input_tokens") {
                input = try reader.number()
            } else if PlainJSONReader.name(name, is: "output_tokens") {
                output = try reader.number()
            } else {
                try reader.skipValue()
            }
        }
        guard isObject else { return nil }
        self.init(input_tokens: input, output_tokens: output)
    }
}
