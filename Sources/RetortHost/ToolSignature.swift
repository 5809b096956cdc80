// The C prototype of a native tool, as a plugin declares it in `retort.tools.v1`:
// "double (double value, const char *from_unit)". Parsed once at load; drives the libffi call.
import Foundation

/// The C types a tool may take or return.
public enum CValueType: String, Sendable, Equatable {
    case int32 = "int32_t"
    case int64 = "int64_t"
    case double
    case float
    case bool
    /// `const char *`: borrowed; as a return value the host copies it and never frees it.
    case borrowedString = "const char *"
    /// `char *`: only as a return value; the host releases it with the plugin's `free_string`.
    case ownedString = "char *"
    case void

    static let parameterTypes: [CValueType] = [.int32, .int64, .double, .float, .bool, .borrowedString]
    static let returnTypes: [CValueType] = [.int32, .int64, .double, .float, .bool, .borrowedString, .ownedString]
}

public struct ToolParameter: Sendable, Equatable {
    public let name: String
    public let type: CValueType
}

public struct ToolSignature: Sendable, Equatable, CustomStringConvertible {
    public let returnType: CValueType
    public let parameters: [ToolParameter]

    init(returnType: CValueType, parameters: [ToolParameter]) {
        self.returnType = returnType
        self.parameters = parameters
    }

    /// Parses "ret (type name, type name)" or "ret (void)". Errors name the part that is wrong
    /// and list the supported types.
    public init(parsing text: String) throws(DescriptorError) {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
              text[text.index(after: close)...].allSatisfy(\.isWhitespace)
        else {
            throw DescriptorError("signature \"\(text)\" must look like \"double (double x, const char *unit)\"")
        }
        let returnType = try Self.type(tokens: Self.tokens(text[..<open]), in: text)
        guard CValueType.returnTypes.contains(returnType) else {
            throw DescriptorError("signature \"\(text)\": return type \(returnType.rawValue) is not supported; "
                + "use one of \(CValueType.returnTypes.map(\.rawValue))")
        }
        var parameters: [ToolParameter] = []
        let list = text[text.index(after: open)..<close]
        let pieces = list.split(separator: ",", omittingEmptySubsequences: false)
        let isVoid = Self.tokens(list) == ["void"] || Self.tokens(list).isEmpty
        if !isVoid {
            for piece in pieces {
                var tokens = Self.tokens(piece)
                guard let name = tokens.popLast(), Self.isIdentifier(name), !tokens.isEmpty else {
                    throw DescriptorError("signature \"\(text)\": parameter \"\(piece.trimmed)\" needs a type and a name")
                }
                let type = try Self.type(tokens: tokens, in: text)
                guard CValueType.parameterTypes.contains(type) else {
                    throw DescriptorError("signature \"\(text)\": parameter type \(type.rawValue) is not supported; "
                        + "use one of \(CValueType.parameterTypes.map(\.rawValue))")
                }
                if parameters.contains(where: { $0.name == name }) {
                    throw DescriptorError("signature \"\(text)\": parameter \"\(name)\" appears twice")
                }
                parameters.append(ToolParameter(name: name, type: type))
            }
        }
        self.returnType = returnType
        self.parameters = parameters
    }

    public var description: String {
        let list = parameters.isEmpty ? "void" : parameters.map { "\($0.type.rawValue) \($0.name)" }
            .joined(separator: ", ")
            .replacingOccurrences(of: "* ", with: "*")
        return "\(returnType.rawValue) (\(list))"
    }

    /// Splits C type text into words, with "*" as its own word: "const char*s" → const char * s.
    static func tokens(_ text: Substring) -> [String] {
        text.replacingOccurrences(of: "*", with: " * ").split(whereSeparator: \.isWhitespace).map(String.init)
    }

    static func type(tokens: [String], in text: String) throws(DescriptorError) -> CValueType {
        switch tokens.joined(separator: " ") {
        case "int32_t": return .int32
        case "int64_t": return .int64
        case "double": return .double
        case "float": return .float
        case "bool", "_Bool": return .bool
        case "const char *", "char const *": return .borrowedString
        case "char *": return .ownedString
        case "void": return .void
        case let other:
            throw DescriptorError("signature \"\(text)\": unknown type \"\(other)\"; supported: "
                + "\(CValueType.returnTypes.map(\.rawValue))")
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic, first.isASCII else {
            return false
        }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}

extension Substring {
    var trimmed: String { String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
}
