// Runs a smaller version of a shipped tiny recipe (Examples/recipes/<plugin>-tiny.yaml): the same
// stages, templates, parsers and filters with fewer inputs, against the embedded teacher, through
// `retort elicit`; then reads back what the run kept and what it rejected, with the reasons.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortPipeline
import Testing

enum TinyRecipeRun {
    static var recipes: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/recipes").path
    }

    /// The embedded teacher must be installed; missing, the test fails and says how to get it.
    static func requireModel() throws {
        let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingModel(description: "SmolLM2 model missing at \(path): run `make setup` (or set RETORT_TEST_GGUF)")
        }
    }

    struct MissingModel: Error, CustomStringConvertible { let description: String }

    /// The shipped recipe text with each stage's `limit:` lowered (to `limits[stage]`, else 1) and
    /// every `samples:` to `samples`.
    static func smaller(_ file: String, limits: [String: Int], samples: Int) throws -> String {
        let text = try String(contentsOfFile: recipes + "/" + file, encoding: .utf8)
        var stage = ""
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let name = line.firstMatch(of: /^\s+-\s+name:\s*([\w-]+)/) { stage = String(name.output.1) }
            if let key = line.firstMatch(of: /^(\s+limit:)\s*\d+\s*$/) {
                lines.append("\(key.output.1) \(limits[stage] ?? 1)")
            } else if let key = line.firstMatch(of: /^(\s+samples:)\s*\d+\s*$/) {
                lines.append("\(key.output.1) \(samples)")
            } else {
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    struct Outcome {
        var kept: [KnowledgeRecord]
        var rejected: [RejectedRecord]

        func stored(stage: String) -> Int {
            kept.filter { $0.provenance.stage == stage }.count + rejected.filter { $0.provenance.stage == stage }.count
        }
    }

    static func run(_ file: String, limits: [String: Int] = [:], samples: Int = 2, environment: [String: String] = [:]) throws -> Outcome {
        try requireModel()
        let text = try smaller(file, limits: limits, samples: samples)
        let (recipe, run) = try ElicitFixture.write(text)
        defer { try? FileManager.default.removeItem(atPath: (recipe as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["elicit", recipe, "--run-dir", run, "--quiet"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let store = try RunStore(runDirectory: run, create: false)
        return Outcome(kept: try store.records(stage: nil, kind: nil), rejected: try store.rejections(stage: nil))
    }

    /// `retort plugins inspect <id> --json`, checked to name every item in `expected`.
    static func inspect(_ id: String, kind: String, expected: [String: [String]]) throws {
        let list = try RetortCommand.run(["plugins", "list", "--json"])
        let plugins = try JSONValue(parsing: list.stdout)["plugins"]?.arrayValue ?? []
        #expect(plugins.contains { $0["id"]?.stringValue == id && $0["kind"]?.stringValue == kind }, "\(list.stdout)")
        let inspected = try RetortCommand.run(["plugins", "inspect", id, "--json"])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        let value = try JSONValue(parsing: inspected.stdout)
        for (section, names) in expected {
            let listed = value[section]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(Set(names).isSubset(of: Set(listed)), "inspect \(id): \(section) lists \(listed), expected \(names)")
        }
        let text = try RetortCommand.run(["plugins", "inspect", id])
        #expect(text.status == 0 && text.stdout.contains(id), "\(text.stderr)")
    }
}
