// A plugin's prompt template (the I of Eq. 1), compiled with swift-mustache and rendered as plain
// text (no HTML escaping). Every top-level tag must be a declared slot, checked at load, and
// rendering without a declared slot is an error rather than a silently empty prompt.
import Foundation
import Mustache
import RetortJSON

public struct TemplateError: Error, LocalizedError, Sendable, Equatable {
    public let template: String
    public let message: String
    public var errorDescription: String? { "template \(template): \(message)" }
}

public struct PromptTemplate: Sendable {
    /// "plugin-id.template-name".
    public let qualifiedName: String
    public let descriptor: TemplateDescriptor
    private let compiled: MustacheTemplate

    init(pluginID: String, descriptor: TemplateDescriptor) throws(DescriptorError) {
        qualifiedName = "\(pluginID).\(descriptor.name)"
        self.descriptor = descriptor
        do {
            compiled = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + descriptor.text)
        } catch {
            throw DescriptorError("template \"\(descriptor.name)\" is not valid Mustache: \(error)")
        }
    }

    /// Renders with `values` for the slots. Every declared slot must be given.
    public func render(_ values: [String: JSONValue]) throws(TemplateError) -> String {
        let missing = descriptor.slots.filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw TemplateError(
                template: qualifiedName,
                message: "missing slot\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")); "
                    + "it needs \(descriptor.slots) and was given \(values.keys.sorted())")
        }
        return compiled.render(values.mapValues(Self.mustacheValue))
    }

    /// Mustache renders Swift values with `String(describing:)`: integral numbers become Int so
    /// 3 renders as "3", not "3.0". Null and the empty string become `EmptySlot`.
    static func mustacheValue(_ value: JSONValue) -> Any {
        switch value {
        case .null: return EmptySlot()
        case .bool(let b): return b
        case .number(let n): return n == n.rounded() && abs(n) < 9.2e18 ? Int(n) : n
        case .string(let s): return s.isEmpty ? EmptySlot() : s
        case .array(let items): return items.map(mustacheValue)
        case .object(let members): return members.mapValues(mustacheValue)
        }
    }

    /// An empty slot renders as nothing and is false in a section, so `{{#input}}Input: {{input}}{{/input}}`
    /// leaves no empty heading when the slot is empty (swift-mustache counts every String as true).
    struct EmptySlot: MustacheCustomRenderable {
        var renderText: String { "" }
        var isNull: Bool { true }
    }

    /// Checks that every tag outside a section names a declared slot, and rejects the Mustache
    /// features plugin templates may not use (partials, delimiter changes, inheritance).
    static func checkSlots(text: String, declared: [String]) throws(DescriptorError) {
        let declaredSet = Set(declared)
        var depth = 0
        var cursor = text.startIndex
        func line(of index: String.Index) -> Int { text[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
        while let open = text.range(of: "{{", range: cursor..<text.endIndex) {
            let triple = text[open.upperBound...].hasPrefix("{")
            let closer = triple ? "}}}" : "}}"
            guard let close = text.range(of: closer, range: open.upperBound..<text.endIndex) else {
                throw DescriptorError("unclosed tag at line \(line(of: open.lowerBound))")
            }
            var inner = Substring(text[open.upperBound..<close.lowerBound])
            if triple { inner = inner.dropFirst() }
            let tag = inner.trimmed
            cursor = close.upperBound
            guard let sigil = tag.first else { continue }
            var name = tag
            switch sigil {
            case "!", "%": continue
            case ">", "<", "$", "=":
                throw DescriptorError("tag {{\(tag)}} at line \(line(of: open.lowerBound)) uses a Mustache feature "
                    + "plugin templates do not support (partials, inheritance, delimiter changes)")
            case "/":
                depth -= 1
                continue
            case "#", "^", "&":
                name = Substring(tag.dropFirst()).trimmed
            default: break
            }
            let base = String(name.split(separator: ".").first ?? "")
            if depth == 0, name != ".", !declaredSet.contains(base) {
                throw DescriptorError("tag {{\(tag)}} at line \(line(of: open.lowerBound)) uses slot '\(base)', "
                    + "which is not in \"slots\" \(declared)")
            }
            if sigil == "#" || sigil == "^" { depth += 1 }
        }
    }
}
