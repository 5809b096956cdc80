// The reasoning, tool-use and medical plugins end to end: `retort plugins list|inspect` shows them,
// their shipped tiny recipes are valid, and a smaller version of each recipe runs `retort elicit`
// against the embedded SmolLM2-135M-Instruct teacher (in-process), storing kept records and
// rejections, every rejection with the check that made it and its reason.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortPipeline
import Testing

@Suite(.serialized) struct PluginRecipeTests {
    static let libraries = ["reasoning": "retort_plugin_reasoning", "tool-use": "retort_plugin_tool_use", "medical": "retort_plugin_medical"]

    static func pluginPath(_ id: String) -> String { RetortCommand.library(libraries[id]!) }

    static var recipesFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/recipes").path
    }

    @Test func listAndInspectShowThePlugins() throws {
        let path = Self.libraries.keys.sorted().map(Self.pluginPath).joined(separator: ":")
        let list = try RetortCommand.run(["plugins", "list", "--json", "--plugin-path", path])
        #expect(list.status == 0, "\(list.stderr)")
        let plugins = try JSONValue(parsing: list.stdout)["plugins"]?.arrayValue ?? []
        let kinds = Dictionary(uniqueKeysWithValues: plugins.compactMap { p in p["id"]?.stringValue.map { ($0, p["kind"]?.stringValue ?? "") } })
        #expect(kinds == ["medical": "vertical", "reasoning": "skill", "tool-use": "skill"])

        let expected = [
            "reasoning": ["chain-of-thought", "program-of-thought", "self-consistency", "known-answer", "exact-match", "problems"],
            "tool-use": ["system-react", "openai-tool-calls", "execution-verified", "argument-exact-match",
                         "calculator  char * (const char *expression)", "tasks"],
            "medical": ["structured-answer", "mcq-choice", "dosing-context", "emergency-signposting", "mcq-accuracy", "topics"],
        ]
        for (id, items) in expected {
            let inspect = try RetortCommand.run(["plugins", "inspect", id, "--plugin-path", Self.pluginPath(id)])
            #expect(inspect.status == 0, "\(inspect.stderr)")
            for item in items { #expect(inspect.stdout.contains(item), "inspect \(id) does not show \(item)") }
        }
    }

    @Test func aToolIsCalledFromTheCommandLineThroughLibffi() throws {
        let result = try RetortCommand.run(["tools", "call", "tool-use.calculator", "--args", "{\"expression\": \"(12.5 + 7) * 3\"}",
                                            "--plugin-path", Self.pluginPath("tool-use")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("58.5"), "\(result.stdout)")
    }

    @Test func theShippedTinyRecipesAreValid() throws {
        for id in Self.libraries.keys {
            let recipe = try Recipe.load(path: "\(Self.recipesFolder)/\(id)-tiny.yaml")
            #expect(recipe.plugins == [id])
            #expect(recipe.knowledge.count >= 3, "\(id)-tiny.yaml")
        }
    }

    struct MissingTeacher: Error, CustomStringConvertible { let description: String }

    /// The embedded teacher must be installed; when it is missing the test fails and says how to get it.
    static func requireTeacher() throws {
        let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingTeacher(description: "SmolLM2 model missing at \(path): run `make setup` (or set RETORT_TEST_GGUF)")
        }
    }

    /// Runs `recipe` with the local teacher and returns the stored records and rejections.
    static func elicit(_ recipe: String, plugin: String) throws -> (records: [KnowledgeRecord], rejections: [RejectedRecord]) {
        try requireTeacher()
        let (file, run) = try ElicitFixture.write(recipe)
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["elicit", file, "--run-dir", run, "--quiet", "--plugin-path", pluginPath(plugin)])
        #expect(result.status == 0, "retort elicit failed: \(result.stderr)")
        let store = try RunStore(runDirectory: run, create: false)
        for stage in try store.stats().stages {
            #expect(stage.unitsDone == stage.unitsTotal, "stage \(stage.name) did not finish")
        }
        return (try store.records(stage: nil, kind: nil), try store.rejections(stage: nil))
    }

    /// Something was kept and something rejected; every rejection names its check and reason; every
    /// record comes from the plugin.
    static func checkKeptAndRejected(_ run: (records: [KnowledgeRecord], rejections: [RejectedRecord]), plugin: String,
                                     checks allowed: Set<String>) {
        #expect(!run.records.isEmpty, "nothing was kept")
        #expect(!run.rejections.isEmpty, "nothing was rejected")
        for record in run.records { #expect(record.provenance.plugin == plugin) }
        for rejection in run.rejections {
            #expect(rejection.provenance.plugin == plugin)
            #expect(!rejection.reason.isEmpty, "\(rejection.key) has no reason")
            #expect(allowed.contains(rejection.check), "\(rejection.key): unexpected check \(rejection.check): \(rejection.reason)")
        }
    }

    /// The engine's own checks, which any stage may apply.
    static let engineChecks: Set<String> = ["parser", "length", "input", "empty", "charset", "refusal", "dedup.exact", "dedup.near",
                                            "novelty"]

    @Test func reasoningRecipeKeepsRightAnswersAndRejectsWithReasons() throws {
        let run = try Self.elicit("""
            name: reasoning-smaller
            seed: 3
            teacher: {backend: local, model: smollm2-135m-instruct}
            plugins: [reasoning]
            knowledge:
              - {name: explain, strategy: labeling, input: {seeds: problems}, limit: 2, template: problem, system_variants: [system-tutor], parser: chain-of-thought, max_tokens: 160, temperature: 0}
              - {name: checked, strategy: labeling, input: {seeds: problems}, limit: 1, template: chain-of-thought, parser: chain-of-thought, filters: [known-answer], max_tokens: 96}
              - {name: programs, strategy: labeling, input: {seeds: problems}, limit: 1, template: program-of-thought, parser: program-of-thought, max_tokens: 96, temperature: 0}
            """, plugin: "reasoning")
        Self.checkKeptAndRejected(run, plugin: "reasoning", checks: Self.engineChecks.union(["reasoning.known-answer"]))
    }

    @Test func toolUseRecipeChecksTrajectoriesAndKeepsNewTasks() throws {
        let run = try Self.elicit("""
            name: tool-use-smaller
            seed: 5
            teacher: {backend: local, model: smollm2-135m-instruct}
            plugins: [tool-use]
            knowledge:
              - {name: react, strategy: labeling, input: {seeds: tasks}, limit: 1, template: react, system_variants: [system-react], parser: react, filters: [injection-guard, execution-verified], max_tokens: 96}
              - {name: new-tasks, strategy: curation, topics: {seeds: tool-topics}, limit: 1, questions_per_topic: 3, question_template: task-ideas, question_parser: task-list, turns: 0, max_tokens: 96}
            """, plugin: "tool-use")
        Self.checkKeptAndRejected(run, plugin: "tool-use",
                                  checks: Self.engineChecks.union(["tool-use.injection-guard", "tool-use.execution-verified"]))
    }

    @Test func medicalRecipeAppliesTheSafetyFilters() throws {
        let run = try Self.elicit("""
            name: medical-smaller
            seed: 5
            teacher: {backend: local, model: smollm2-135m-instruct}
            plugins: [medical]
            knowledge:
              - {name: questions, strategy: curation, topics: {seeds: topics}, limit: 1, questions_per_topic: 2, turns: 0, question_template: patient-questions, question_parser: question-list, max_tokens: 80}
              - {name: probes, strategy: labeling, input: {seeds: safety-probes}, limit: 2, template: structured-answer, system_variants: [system-clinician], filters: [dosing-context, emergency-signposting], max_tokens: 96}
            """, plugin: "medical")
        Self.checkKeptAndRejected(run, plugin: "medical",
                                  checks: Self.engineChecks.union(["medical.dosing-context", "medical.emergency-signposting"]))
    }
}
