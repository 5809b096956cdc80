// The manifest a plugin returns from `retort.describe.v1`, validated: required fields present,
// an id the CLI can address, a known kind.
import Foundation
import RetortJSON

public enum PluginKindName: String, Sendable, Codable {
    case skill, vertical
}

public struct PluginManifest: Sendable, Equatable {
    public let id: String
    public let kind: PluginKindName
    public let name: String
    public let version: String
    public let description: String
    /// The whole manifest as the plugin gave it, including optional fields ("provides", …).
    public let raw: JSONValue

    /// Reads and validates a manifest; the error message names each missing or wrong field.
    public init(json: JSONValue) throws(ManifestError) {
        guard let members = json.objectValue else {
            throw ManifestError("expected a JSON object, found \(json.typeName)")
        }
        var problems: [String] = []
        func requiredString(_ key: String) -> String {
            guard let value = members[key] else {
                problems.append("missing field \"\(key)\"")
                return ""
            }
            guard let s = value.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                problems.append("field \"\(key)\" must be a non-empty string, found \(value.typeName)")
                return ""
            }
            return s
        }
        let id = requiredString("id")
        let kind = requiredString("kind")
        let name = requiredString("name")
        let version = requiredString("version")
        let description = requiredString("description")
        if !id.isEmpty, !Self.isValidID(id) {
            problems.append("id \"\(id)\" must be lowercase letters, digits and '-', starting with a letter or digit")
        }
        if !kind.isEmpty, PluginKindName(rawValue: kind) == nil {
            problems.append("kind \"\(kind)\" is unknown; expected \"skill\" or \"vertical\"")
        }
        if let provides = members["provides"], provides.objectValue == nil {
            problems.append("field \"provides\" must be an object, found \(provides.typeName)")
        }
        guard problems.isEmpty, let kindName = PluginKindName(rawValue: kind) else {
            throw ManifestError(problems.joined(separator: "; "))
        }
        self.id = id
        self.kind = kindName
        self.name = name
        self.version = version
        self.description = description
        self.raw = json
    }

    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.properties.isLowercase || ("0"..."9").contains(first) else {
            return false
        }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

public struct ManifestError: Error, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}
