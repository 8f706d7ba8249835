import ByokyCore

/// Rewrites a tool or output JSON Schema into what a target accepts.
enum SchemaAdapter {
    /// The keywords of Gemini's schema subset (OpenAPI 3.0 `Schema` object).
    private static let geminiKeywords: Set<String> = [
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties",
        "required", "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf",
        "propertyOrdering", "default", "items", "minimum", "maximum",
    ]

    /// A schema Gemini's `parameters` / `responseSchema` accept: `$ref`s inlined from `$defs`,
    /// `const` as a one-value `enum`, type lists as `nullable`, unsupported keywords removed.
    static func forGemini(_ schema: JSONNode) -> JSONNode {
        let definitions = (schema["$defs"] ?? schema["definitions"])?.objectValue ?? JSONObject()
        return gemini(schema, definitions: definitions, depth: 0)
    }

    private static func gemini(_ schema: JSONNode, definitions: JSONObject, depth: Int) -> JSONNode {
        guard depth < 32, var object = schema.objectValue else { return schema }
        if let reference = object["$ref"]?.stringValue {
            let name = reference.split(separator: "/").last.map(String.init) ?? reference
            if let target = definitions[name] {
                var merged = target.objectValue ?? JSONObject()
                if let description = object["description"] { merged["description"] = description }
                return gemini(.object(merged), definitions: definitions, depth: depth + 1)
            }
            object["$ref"] = nil
        }
        if let constant = object["const"] {
            object["enum"] = .array([constant])
            object["const"] = nil
        }
        if let types = object["type"]?.arrayValue {
            let names = types.compactMap(\.stringValue)
            let nonNull = names.filter { $0 != "null" }
            if names.contains("null") { object["nullable"] = .bool(true) }
            object["type"] = nonNull.count == 1 ? .string(nonNull[0]) : nil
            if nonNull.count > 1 {
                object["anyOf"] = .array(nonNull.map { .object(JSONObject([("type", .string($0))])) })
            }
        }
        if object["anyOf"] == nil, let oneOf = object["oneOf"] { object["anyOf"] = oneOf }
        if let anyOf = object["anyOf"]?.arrayValue {
            // `{"anyOf":[X, {"type":"null"}]}` is how optional fields are written.
            let nonNull = anyOf.filter { $0["type"]?.stringValue != "null" }
            if nonNull.count < anyOf.count { object["nullable"] = .bool(true) }
            if nonNull.count == 1, var only = nonNull[0].objectValue {
                object["anyOf"] = nil
                for member in object where member.key != "anyOf" && only[member.key] == nil {
                    only[member.key] = member.value
                }
                return gemini(.object(only), definitions: definitions, depth: depth + 1)
            }
            object["anyOf"] = .array(nonNull.map { gemini($0, definitions: definitions, depth: depth + 1) })
        }
        var result = JSONObject()
        for member in object where geminiKeywords.contains(member.key) {
            switch member.key {
            case "properties":
                var properties = JSONObject()
                for property in member.value.objectValue ?? JSONObject() {
                    properties[property.key] = gemini(property.value, definitions: definitions, depth: depth + 1)
                }
                result["properties"] = .object(properties)
            case "items":
                result["items"] = gemini(member.value, definitions: definitions, depth: depth + 1)
            case "anyOf":
                result["anyOf"] = member.value
            case "format":
                // Gemini accepts only these string formats.
                if let format = member.value.stringValue, ["enum", "date-time"].contains(format) {
                    result["format"] = member.value
                }
            default:
                result[member.key] = member.value
            }
        }
        if let enumValues = result["enum"]?.arrayValue {
            // Gemini enums are strings.
            result["enum"] = .array(
                enumValues.map { value in value.stringValue.map(JSONNode.string) ?? .string(value.jsonString) }
            )
            if result["type"] == nil || result["type"]?.stringValue != "string" { result["type"] = .string("string") }
        }
        return .object(result)
    }

    /// A schema in JSON Schema spelling from Gemini's OpenAPI spelling: upper-case `type`
    /// values (`OBJECT`, `STRING`) lowered, `nullable` folded into the type.
    static func fromGemini(_ schema: JSONNode) -> JSONNode {
        fromGemini(schema, depth: 0)
    }

    private static func fromGemini(_ schema: JSONNode, depth: Int) -> JSONNode {
        guard depth < 32, let object = schema.objectValue else { return schema }
        var result = JSONObject()
        let isNullable = object["nullable"]?.boolValue == true
        for member in object {
            switch member.key {
            case "type":
                let name = member.value.stringValue?.lowercased() ?? "object"
                result["type"] = isNullable ? .array([.string(name), .string("null")]) : .string(name)
            case "nullable", "propertyOrdering", "example":
                continue
            case "properties":
                var properties = JSONObject()
                for property in member.value.objectValue ?? JSONObject() {
                    properties[property.key] = fromGemini(property.value, depth: depth + 1)
                }
                result["properties"] = .object(properties)
            case "items":
                result["items"] = fromGemini(member.value, depth: depth + 1)
            case "anyOf":
                result["anyOf"] = .array((member.value.arrayValue ?? []).map { fromGemini($0, depth: depth + 1) })
            default:
                result[member.key] = member.value
            }
        }
        return .object(result)
    }

    /// An object schema for tool parameters: Anthropic and OpenAI need `type: object` at the root.
    static func objectRoot(_ schema: JSONNode?) -> JSONNode {
        guard var object = schema?.objectValue else {
            return .object(JSONObject([("type", .string("object")), ("properties", .object(JSONObject()))]))
        }
        if object["type"] == nil { object["type"] = .string("object") }
        return .object(object)
    }
}
