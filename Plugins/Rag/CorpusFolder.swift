// A user's corpus: a folder (or one file) of JSON Lines files, one passage per line with `text`
// and optional `id`, `title` and `topic`, and of plain-text or Markdown files, split into passages
// at blank lines (a Markdown heading becomes the title of the paragraphs under it). Errors name
// the file and line.
import Foundation
import RetortPluginSDK

enum CorpusFolder {
    static let extensions = ["jsonl", "txt", "md"]

    /// The passages of `path`; `excluding` names files inside it that are not corpus (the
    /// questions file build_dataset reads may sit beside the documents).
    static func load(_ path: String, excluding: [String] = []) throws -> [Passage] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PluginFailure.invalidArgument("corpus \(path) does not exist; give a folder of .jsonl, .txt or .md files, or one such file")
        }
        var files: [String]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let skipped = Set(excluding.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            files = names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted().map { path + "/" + $0 }
                .filter { !skipped.contains(URL(fileURLWithPath: $0).standardizedFileURL.path) }
            guard !files.isEmpty else { throw PluginFailure.invalidArgument("corpus folder \(path) holds no .jsonl, .txt or .md file") }
        } else {
            files = [path]
        }
        var passages: [Passage] = []
        var seen: Set<String> = []
        for file in files {
            for passage in try read(file) {
                guard seen.insert(passage.id).inserted else {
                    throw PluginFailure.invalidArgument("corpus \(file): the passage id \"\(passage.id)\" is used twice; ids must be unique")
                }
                passages.append(passage)
            }
        }
        guard !passages.isEmpty else { throw PluginFailure.invalidArgument("corpus \(path) holds no passage with text") }
        return passages
    }

    static func read(_ file: String) throws -> [Passage] {
        guard let data = FileManager.default.contents(atPath: file) else { throw PluginFailure.invalidArgument("cannot read corpus file \(file)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PluginFailure.invalidArgument("corpus file \(file) is not UTF-8 text")
        }
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        switch (file as NSString).pathExtension.lowercased() {
        case "jsonl": return try jsonLines(text, file: file, name: name)
        case "txt", "md": return paragraphs(text, name: name)
        default:
            throw PluginFailure.invalidArgument("corpus file \(file) is neither .jsonl, .txt nor .md")
        }
    }

    static func jsonLines(_ text: String, file: String, name: String) throws -> [Passage] {
        var passages: [Passage] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let value: JSONValue
            do { value = try JSONValue(parsing: trimmed) } catch {
                throw PluginFailure.invalidArgument("\(file):\(index + 1): \(error.message)")
            }
            guard value.objectValue != nil else {
                throw PluginFailure.invalidArgument("\(file):\(index + 1): expected a JSON object per line, found \(value.typeName)")
            }
            guard let body = value["text"]?.stringValue, !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw PluginFailure.invalidArgument("\(file):\(index + 1): the object needs a non-empty \"text\" string")
            }
            passages.append(Passage(id: value["id"]?.stringValue ?? "\(name):\(index + 1)", topic: value["topic"]?.stringValue ?? name,
                                    title: value["title"]?.stringValue ?? "", text: collapse(body)))
        }
        return passages
    }

    static func paragraphs(_ text: String, name: String) -> [Passage] {
        var passages: [Passage] = []
        var title = ""
        var current: [String] = []
        func flush() {
            let body = collapse(current.joined(separator: " "))
            current = []
            guard !body.isEmpty else { return }
            passages.append(Passage(id: "\(name)#\(passages.count + 1)", topic: name, title: title, text: body))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                flush()
            } else if trimmed.hasPrefix("#") {
                flush()
                title = trimmed.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
            } else {
                current.append(trimmed)
            }
        }
        flush()
        return passages
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
