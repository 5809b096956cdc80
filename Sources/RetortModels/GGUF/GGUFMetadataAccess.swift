// Typed lookups of GGUF metadata values (keys such as "llama.block_count" or
// "tokenizer.ggml.tokens"), throwing an error that names the key and the type found.

extension GGUFFile {
    /// The value stored under `key`, or nil.
    public func value(_ key: String) -> GGUFValue? { metadata[key] }

    public func requireValue(_ key: String) throws -> GGUFValue {
        guard let value = metadata[key] else {
            throw GGUFError(.missing, file: path, field: "metadata key '\(key)'", "is missing")
        }
        return value
    }

    func wrongType(_ key: String, _ value: GGUFValue, expected: String) -> GGUFError {
        let found = value.arrayValue.map { "array of \($0.elementType)" } ?? "\(value.type)"
        return GGUFError(.wrongType, file: path, field: "metadata key '\(key)'", "holds \(found), expected \(expected)")
    }

    public func string(_ key: String) throws -> String {
        let value = try requireValue(key)
        guard let s = value.stringValue else { throw wrongType(key, value, expected: "a string") }
        return s
    }

    /// An integer of any width that fits in Int.
    public func int(_ key: String) throws -> Int {
        let value = try requireValue(key)
        guard let i = value.intValue else { throw wrongType(key, value, expected: "an integer") }
        return i
    }

    /// A float32, float64 or integer, as Double.
    public func double(_ key: String) throws -> Double {
        let value = try requireValue(key)
        guard let d = value.doubleValue else { throw wrongType(key, value, expected: "a number") }
        return d
    }

    public func float(_ key: String) throws -> Float { Float(try double(key)) }

    public func bool(_ key: String) throws -> Bool {
        let value = try requireValue(key)
        guard let b = value.boolValue else { throw wrongType(key, value, expected: "a bool") }
        return b
    }

    public func array(_ key: String) throws -> GGUFArray {
        let value = try requireValue(key)
        guard let a = value.arrayValue else { throw wrongType(key, value, expected: "an array") }
        return a
    }

    public func stringArray(_ key: String) throws -> [String] {
        guard case .string(let a) = try array(key) else {
            throw wrongType(key, metadata[key]!, expected: "an array of strings")
        }
        return a
    }

    /// An array of float32 or float64, as Float.
    public func floatArray(_ key: String) throws -> [Float] {
        switch try array(key) {
        case .float32(let a): return a
        case .float64(let a): return a.map { Float($0) }
        default: throw wrongType(key, metadata[key]!, expected: "an array of floats")
        }
    }

    /// An array of any integer type whose elements all fit in Int32.
    public func int32Array(_ key: String) throws -> [Int32] {
        if case .int32(let a) = try array(key) { return a }
        guard let ints = try array(key).intValues, ints.allSatisfy({ Int32(exactly: $0) != nil }) else {
            throw wrongType(key, metadata[key]!, expected: "an array of 32-bit integers")
        }
        return ints.map { Int32($0) }
    }

    /// An array of any integer type whose elements all fit in Int.
    public func intArray(_ key: String) throws -> [Int] {
        guard let ints = try array(key).intValues else {
            throw wrongType(key, metadata[key]!, expected: "an array of integers")
        }
        return ints
    }
}
