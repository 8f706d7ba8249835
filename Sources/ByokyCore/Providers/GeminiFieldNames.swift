/// Gemini's REST API is proto3 JSON: every field may be written in lowerCamelCase or in
/// snake_case (`generationConfig` or `generation_config`), and the official `google-genai` SDK
/// sends both forms in one request. Readers of Gemini JSON pass it through ``normalized(_:)``
/// first and then look up the camelCase names only; the wallet always writes camelCase.
///
/// Only field names are renamed. Values whose keys are the app's own data keep them: function
/// call arguments (`args`) and results (`response`), the property names of a schema's
/// `properties`, raw JSON Schemas (`parametersJsonSchema`, `responseJsonSchema`), `labels`, error
/// `metadata`, and a schema's `default` and `example` values.
public enum GeminiFieldNames {
    /// `json` with every field name in lowerCamelCase.
    public static func normalized(_ json: JSONNode) -> JSONNode {
        normalized(json, position: .message)
    }

    /// The lowerCamelCase form of a proto field name: `max_output_tokens` → `maxOutputTokens`.
    public static func camelCase(_ name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: "_")), name.utf8.first != UInt8(ascii: "_") else { return name }
        var result = ""
        result.reserveCapacity(name.utf8.count)
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        if upperNext { result.append("_") }
        return result
    }

    /// What a JSON value stands for, which decides whether its keys are field names.
    private enum Position {
        /// A proto message: keys are field names.
        case message
        /// A map from the app's names to schemas (`properties`): keys kept, values are messages.
        case schemaMap
        /// The app's own data: nothing inside is renamed.
        case data
    }

    /// Fields (in camelCase) whose values are the app's data.
    private static let dataFields: Set<String> = [
        "args", "response", "parametersJsonSchema", "responseJsonSchema", "labels", "metadata", "default",
        "example",
    ]

    private static func normalized(_ json: JSONNode, position: Position) -> JSONNode {
        switch json {
        case .array(let elements):
            guard position != .data else { return json }
            return .array(elements.map { normalized($0, position: position) })
        case .object(let object):
            switch position {
            case .data:
                return json
            case .schemaMap:
                return .object(JSONObject(object.map { ($0.key, normalized($0.value, position: .message)) }))
            case .message:
                return .object(
                    JSONObject(
                        object.map { member in
                            let name = camelCase(member.key)
                            let inner: Position =
                                dataFields.contains(name) ? .data : name == "properties" ? .schemaMap : .message
                            return (name, normalized(member.value, position: inner))
                        }
                    )
                )
            }
        default:
            return json
        }
    }
}
