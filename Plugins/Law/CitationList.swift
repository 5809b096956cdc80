// The list of citations a record may use, and the check that a cited authority is on it. The list
// is, in order of precedence: the filter context's `citations` (an array of strings) or
// `citations_file`; the file named by RETORT_LAW_CITATIONS; the list that ships. A file holds one
// citation per line (blank lines and # comments skipped) or, as .jsonl, objects with "citation".
// Every entry must be a citation the scanner recognizes: an entry it cannot read is an error that
// names the line, never a silently useless list.
import Foundation
import RetortPluginSDK

struct KnownAuthority: Sendable {
    var citation: String
    var kind: String
    var jurisdiction: String
}

struct CitationList: Sendable {
    /// Where the list came from, for rejection reasons ("the shipped list of 62 authorities").
    var source: String
    var entries: [LegalCitation]
    private var keys: Set<String>
    private var byKey: [String: LegalCitation]

    init(source: String, entries: [LegalCitation]) {
        self.source = source
        self.entries = entries
        keys = Set(entries.map(\.key))
        var table: [String: LegalCitation] = [:]
        for entry in entries where table[entry.key] == nil { table[entry.key] = entry }
        byKey = table
    }

    static let shipped = CitationList(
        source: "the shipped list of \(KnownAuthority.shipped.count) authorities",
        entries: KnownAuthority.shipped.flatMap { CitationScanner.scan($0.citation).prefix(1) })

    /// The list for one filter call: context, then environment, then the shipped list.
    static func resolve(context: JSONValue, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CitationList {
        if let inline = context["citations"] {
            guard let items = inline.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                throw PluginFailure.invalidArgument("context \"citations\" must be an array of citation strings")
            }
            return try CitationList(lines: items.compactMap(\.stringValue), source: "the context's list")
        }
        if let path = context["citations_file"]?.stringValue { return try cachedFile(path) }
        if let path = environment["RETORT_LAW_CITATIONS"], !path.isEmpty { return try cachedFile(path) }
        return shipped
    }

    init(lines: [String], source: String) throws {
        var entries: [LegalCitation] = []
        for (index, line) in lines.enumerated() {
            guard let found = CitationScanner.scan(line).first else {
                throw PluginFailure.invalidArgument("\(source), entry \(index + 1): \"\(line)\" is not a citation this plugin can read "
                    + "(examples: \"Brown v. Board of Education, 347 U.S. 483 (1954)\", \"Donoghue v Stevenson [1932] AC 562\", "
                    + "\"42 U.S.C. § 1983\", \"Misrepresentation Act 1967\")")
            }
            entries.append(found)
        }
        self.init(source: "\(source) of \(entries.count) authorit\(entries.count == 1 ? "y" : "ies")", entries: entries)
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [String: (modified: Date, list: CitationList)] = [:]

    /// Reads a list file once per modification.
    static func cachedFile(_ path: String) throws -> CitationList {
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
        if let modified, let hit = cacheLock.withLock({ cache[path] }), hit.modified == modified { return hit.list }
        let list = try readFile(path)
        if let modified { cacheLock.withLock { cache[path] = (modified, list) } }
        return list
    }

    static func readFile(_ path: String) throws -> CitationList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PluginFailure.invalidArgument("cannot read the citation list \(path) (RETORT_LAW_CITATIONS or the context's citations_file)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw PluginFailure.invalidArgument("the citation list \(path) is not UTF-8 text") }
        var lines: [String] = []
        let isJSONLines = path.lowercased().hasSuffix(".jsonl")
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if isJSONLines {
                do {
                    guard let citation = try JSONValue(parsing: line)["citation"]?.stringValue else {
                        throw PluginFailure.invalidArgument("\(path):\(number + 1): the object needs a \"citation\" string")
                    }
                    lines.append(citation)
                } catch let error as JSONTextError {
                    throw PluginFailure.invalidArgument("\(path):\(number + 1): \(error.message)")
                }
            } else {
                guard CitationScanner.scan(line).first != nil else {
                    throw PluginFailure.invalidArgument("\(path):\(number + 1): \"\(line)\" is not a citation this plugin can read")
                }
                lines.append(line)
            }
        }
        guard !lines.isEmpty else { throw PluginFailure.invalidArgument("the citation list \(path) holds no citation") }
        return try CitationList(lines: lines, source: path)
    }

    /// The list with more authorities (those a record's input lists) added.
    func adding(_ more: [LegalCitation]) -> CitationList {
        more.isEmpty ? self : CitationList(source: source, entries: entries + more)
    }

    /// nil when `citation` is on the list; else why not.
    func problem(with citation: LegalCitation) -> String? {
        if citation.key.hasPrefix("name|") {
            // A case named without a reporter: known when both parties match a listed case.
            let named = entries.contains { $0.kind == .caseLaw && $0.parties.count == 2 && $0.parties == citation.parties }
            return named ? nil : "cites \"\(citation.text)\", a case that is not in \(source)"
        }
        guard keys.contains(citation.key) else {
            return "cites \"\(citation.text)\", which is not in \(source)"
        }
        if citation.parties.count == 2, let listed = byKey[citation.key], listed.parties.count == 2,
           listed.parties[0] != citation.parties[0], listed.parties[1] != citation.parties[1] {
            return "cites \"\(citation.text)\", but in \(source) that report is \"\(listed.text)\": the case name is invented"
        }
        return nil
    }
}
