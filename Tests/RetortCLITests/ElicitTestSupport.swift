// Shared pieces of the `retort elicit` tests: tiny recipes for the embedded teacher, and reading a
// run folder back through the run store.
import Foundation
import RetortKnowledge
import RetortPipeline
import Testing

enum ElicitFixture {
    /// Every strategy once, as small as the 135M teacher allows, so a debug build runs it quickly.
    static func sixStrategies(teacher: String, featureTokenizer: Bool = false) -> String {
        """
        name: six
        seed: 11
        \(teacher)
        plugins: [instruct]
        knowledge:
          - {name: expand, strategy: expansion, method: self-instruct, seeds: {seeds: tasks}, target: 3, max_prompts: 1, per_prompt: 3, max_tokens: 48}
          - {name: label, strategy: labeling, input: {seeds: tasks}, limit: 2, max_tokens: 32}
          - {name: evolve, strategy: expansion, method: evol-instruct, input: {seeds: tasks}, limit: 1, rounds: 1, max_tokens: 40}
          - {name: curate, strategy: curation, topics: {seeds: topics}, limit: 1, questions_per_topic: 1, turns: 2, max_tokens: 32}
          - {name: judge, strategy: feedback, mode: rubric, input: {stage: label}, limit: 1, max_tokens: 40}
          - {name: features, strategy: feature, input: {stage: label}, limit: 1, top_k: 4\(featureTokenizer ? ", tokenizer: smollm2-135m-instruct, max_tokens: 24" : "")}
          - {name: self-check, strategy: self-knowledge, input: {seeds: problems}, student: smollm2-135m-instruct, limit: 1, samples: 2, max_tokens: 48}
        """
    }

    static let localTeacher = "teacher: {backend: local, model: smollm2-135m-instruct}"

    static func write(_ recipe: String) throws -> (recipe: String, runDirectory: String) {
        let folder = NSTemporaryDirectory() + "retort-elicit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/recipe.yaml"
        try recipe.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, folder + "/run")
    }

    /// Kept records and rejections, keyed, as comparable text.
    static func contents(of runDirectory: String) throws -> (records: [String: String], rejections: [String: String]) {
        let store = try RunStore(runDirectory: runDirectory, create: false)
        var records: [String: String] = [:]
        for r in try store.records(stage: nil, kind: nil) {
            records[r.key] = "\(r.kind.rawValue) \(r.provenance) \(r.payload.jsonText) \(r.distributions.map { "\($0.tokens) \($0.ids)" } ?? "")"
        }
        var rejections: [String: String] = [:]
        for r in try store.rejections(stage: nil) { rejections[r.key] = "\(r.check) \(r.reason) \(r.payload.jsonText)" }
        return (records, rejections)
    }
}
