// `retort elicit` with the embedded teacher in-process: each of the six strategies stores kept
// and rejected records with their provenance; running again resumes without a single new
// teacher call; bad recipes fail with the file and line.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortPipeline
import Testing

@Suite(.serialized) struct ElicitCommandTests {
    static let stages = ["expand": "expansion", "label": "labeling", "evolve": "expansion", "curate": "curation",
                         "judge": "feedback", "features": "feature", "self-check": "self-knowledge"]

    @Test func sixStrategiesRunInProcessAndResumeFromTheCache() throws {
        let (recipe, run) = try ElicitFixture.write(ElicitFixture.sixStrategies(teacher: ElicitFixture.localTeacher))
        let first = try RetortCommand.run(["elicit", recipe, "--run-dir", run, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let store = try RunStore(runDirectory: run, create: false)
        try Self.checkEveryStage(store, teacher: "local:SmolLM2-135M-Instruct.Q4_1")
        let features = try store.records(stage: "features", kind: nil)
        #expect(features.allSatisfy { $0.distributions?.topK == 4 && !($0.distributions?.tokens.isEmpty ?? true) })
        let before = try ElicitFixture.contents(of: run)

        let second = try RetortCommand.run(["elicit", recipe, "--run-dir", run, "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        let summary = try JSONValue(parsing: second.stdout.split(separator: "\n").last.map(String.init) ?? "")
        #expect(summary["teacher"]?["calls"]?.doubleValue == 0, "a resumed run called the teacher again: \(second.stdout)")
        let after = try ElicitFixture.contents(of: run)
        #expect(after.records == before.records)
        #expect(after.rejections == before.rejections)

        let stats = try RetortCommand.run(["data", "stats", run, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
    }

    /// Every stage finished its units and stored something, each record naming where it came from.
    static func checkEveryStage(_ store: RunStore, teacher: String) throws {
        let records = try store.records(stage: nil, kind: nil)
        let rejections = try store.rejections(stage: nil)
        for (stage, strategy) in stages {
            let kept = records.filter { $0.provenance.stage == stage }
            let rejected = rejections.filter { $0.provenance.stage == stage }
            #expect(kept.count + rejected.count > 0, "stage \(stage) stored nothing")
            for provenance in kept.map(\.provenance) + rejected.map(\.provenance) {
                #expect(provenance.strategy == strategy)
                #expect(provenance.plugin == "instruct")
                #expect(!provenance.seedID.isEmpty)
                if stage != "self-check" || provenance.template.isEmpty == false { #expect(provenance.teacher == teacher) }
            }
            #expect(rejected.allSatisfy { !$0.check.isEmpty && !$0.reason.isEmpty })
        }
        #expect(records.contains { $0.provenance.stage == "label" && $0.kind == .conversation })
        let stats = try store.stats()
        for stage in stats.stages { #expect(stage.unitsDone == stage.unitsTotal, "stage \(stage.name) is unfinished") }
    }

    @Test func badRecipesNameTheFileAndLine() throws {
        let (recipe, run) = try ElicitFixture.write("teacher: {model: smollm2-135m-instruct}\nplugins: [instruct]\nknowledge:\n  - {name: a, strategy: labeling, input: {seeds: tasks}, limt: 2}\n")
        let result = try RetortCommand.run(["elicit", recipe, "--run-dir", run])
        #expect(result.status == 2)
        #expect(result.stderr.contains("recipe.yaml:4"), "\(result.stderr)")
        #expect(result.stderr.contains("knowledge[0].limt"), "\(result.stderr)")
    }

    @Test func aMissingKeyVariableIsReportedBeforeAnyWork() throws {
        let (recipe, run) = try ElicitFixture.write("""
            teacher: {backend: openai, base_url: "http://127.0.0.1:9/v1", model: m, api_key_env: RETORT_TEST_UNSET_KEY}
            plugins: [instruct]
            knowledge:
              - {name: a, strategy: labeling, input: {seeds: tasks}, limit: 1}
            """)
        let result = try RetortCommand.run(["elicit", recipe, "--run-dir", run], environment: ["RETORT_TEST_UNSET_KEY": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("RETORT_TEST_UNSET_KEY"), "\(result.stderr)")
    }

    @Test func unknownTemplatesAndSeedSetsAreClearErrors() throws {
        let (recipe, run) = try ElicitFixture.write("""
            \(ElicitFixture.localTeacher)
            plugins: [instruct]
            knowledge:
              - {name: a, strategy: labeling, input: {seeds: tasks}, template: no-such-template, limit: 1}
            """)
        let result = try RetortCommand.run(["elicit", recipe, "--run-dir", run])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no template 'no-such-template'"), "\(result.stderr)")
        let (recipe2, run2) = try ElicitFixture.write("""
            \(ElicitFixture.localTeacher)
            plugins: [instruct]
            knowledge:
              - {name: a, strategy: labeling, input: {seeds: nope}, limit: 1}
            """)
        let result2 = try RetortCommand.run(["elicit", recipe2, "--run-dir", run2])
        #expect(result2.status == 2)
        #expect(result2.stderr.contains("no such seed set"), "\(result2.stderr)")
    }
}
