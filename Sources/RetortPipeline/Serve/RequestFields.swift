// Typed reads of a request body's fields: each getter checks the JSON type and range and, when
// wrong, throws the OpenAI-style 400 that names the parameter. Absent and null mean "not given".
import RetortJSON

struct RequestFields {
    let object: [String: JSONValue]

    /// Parses the body; anything but a JSON object is a 400.
    init(body: String) throws(OpenAIError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: body) } catch {
            throw .invalid("We could not parse the JSON body of your request (\(error.message)). The body must be a JSON object.",
                           code: "invalid_json")
        }
        guard let object = value.objectValue else {
            throw .invalid("The request body must be a JSON object, found \(value.typeName).", code: "invalid_json")
        }
        self.object = object
    }

    func value(_ name: String) -> JSONValue? {
        guard let value = object[name], value != .null else { return nil }
        return value
    }

    func string(_ name: String) throws(OpenAIError) -> String? {
        guard let value = value(name) else { return nil }
        guard let s = value.stringValue else { throw .wrongType(name, expected: "a string", found: value) }
        return s
    }

    func bool(_ name: String) throws(OpenAIError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard let b = value.boolValue else { throw .wrongType(name, expected: "a boolean", found: value) }
        return b
    }

    func number(_ name: String, in range: ClosedRange<Double>? = nil) throws(OpenAIError) -> Double? {
        guard let value = value(name) else { return nil }
        guard let n = value.doubleValue else { throw .wrongType(name, expected: "a number", found: value) }
        if let range, !range.contains(n) {
            throw .invalid("Invalid '\(name)': expected a value in [\(Self.text(range.lowerBound)), \(Self.text(range.upperBound))], but got \(Self.text(n)) instead.", param: name)
        }
        return n
    }

    func integer(_ name: String, in range: ClosedRange<Int>? = nil) throws(OpenAIError) -> Int? {
        guard let value = value(name) else { return nil }
        guard let n = value.doubleValue, n == n.rounded(), abs(n) < 9e15 else {
            throw .wrongType(name, expected: "an integer", found: value)
        }
        if let range, !range.contains(Int(n)) {
            throw .invalid("Invalid '\(name)': expected an integer in [\(range.lowerBound), \(range.upperBound)], but got \(Int(n)) instead.", param: name)
        }
        return Int(n)
    }

    /// `stop`: a string or a list of strings.
    func stringList(_ name: String) throws(OpenAIError) -> [String] {
        guard let value = value(name) else { return [] }
        if let s = value.stringValue { return [s] }
        guard let items = value.arrayValue else { throw .wrongType(name, expected: "a string or an array of strings", found: value) }
        var strings: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw .wrongType(name, expected: "a string or an array of strings", found: item) }
            strings.append(s)
        }
        return strings
    }

    /// A positive number must not carry a meaning this server cannot honour.
    func rejectNonZero(_ name: String, why: String) throws(OpenAIError) {
        if let n = try number(name), n != 0 { throw .unsupported(name, why) }
    }

    static func text(_ n: Double) -> String { n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : "\(n)" }
}
