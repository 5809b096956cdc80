// `retort run` on a tiny recipe with the embedded teacher: it elicits, evaluates the un-distilled
// layer-subset student, trains SFT then on-policy JSD, evaluates each stage (KL to the teacher
// falls), and a second run on the same folder does nothing again. A run killed with SIGKILL during
// elicitation and during training resumes to the same data and the same loss curve.
import Foundation
import RetortPipeline
import Testing

@Suite(.serialized) struct DistillRunTests {
    static let recipe = """
        name: tiny-distill
        seed: 5
        \(ElicitFixture.localTeacher)
        plugins: [instruct]
        knowledge:
          - {name: label, strategy: labeling, input: {seeds: tasks}, limit: 8, max_tokens: 48, system_variants: [system-concise]}
        student: {from: teacher, layers: 12}
        distill:
          - {name: sft, objectives: [sft], steps: 6, batch: 2, sequence_length: 128, learning_rate: 5e-4, warmup: 1, checkpoint_every: 2}
          - name: gkd
            objectives: [{name: jsd, beta: 0.5}]
            steps: 2
            batch: 2
            sequence_length: 128
            learning_rate: 1e-4
            top_k: 8
            on_policy: {ratio: 0.5, max_tokens: 6}
        evaluate: {held_out: 0.2, max_examples: 2, generate: 1, max_tokens: 6, evaluators: [instruct.rouge-l]}
        """

    static func steps(_ run: String) -> [TrainingStepRow] {
        (try? RunStore(runDirectory: run, create: false).trainingSteps()) ?? []
    }

    @Test func runTrainsEvaluatesAndResumesWithoutRedoingWork() throws {
        let (recipe, run) = try ElicitFixture.write(Self.recipe)
        defer { try? FileManager.default.removeItem(atPath: (recipe as NSString).deletingLastPathComponent) }
        let first = try RetortCommand.run(["run", recipe, "--run-dir", run, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let store = try RunStore(runDirectory: run, create: false)
        let evaluations = try store.evaluations()
        #expect(Set(evaluations.map(\.checkpoint)) == ["baseline", "sft@6", "gkd@2"])
        let kl = Dictionary(uniqueKeysWithValues: evaluations.filter { $0.metric == EvaluationMetric.heldoutKL.name }.map { ($0.checkpoint, $0.value) })
        #expect((kl["sft@6"] ?? .nan) < (kl["baseline"] ?? .nan), "SFT on the teacher's answers should bring the student closer: \(kl)")
        let pluginScores = evaluations.filter { $0.metric == "plugin:instruct.rouge-l" }
        #expect(pluginScores.count == 3 && pluginScores.allSatisfy { (0...1).contains($0.value) }, "\(evaluations)")
        #expect(try store.trainingSteps(stage: "sft").map(\.step) == Array(1...6))
        #expect(try store.trainingSteps(stage: "gkd").count == 2)
        #expect(first.stdout.contains("baseline") && first.stdout.contains("gkd@2"), "\(first.stdout)")
        let calls = try store.stats().teacherCalls

        let second = try RetortCommand.run(["run", recipe, "--run-dir", run, "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try store.stats().teacherCalls == calls)
        #expect(try store.evaluations() == evaluations, "a finished run evaluated again")
        #expect(try store.trainingSteps().count == 8)
    }

    @Test func unknownEvaluatorStopsTheRunBeforeAnyWork() throws {
        let (recipe, run) = try ElicitFixture.write(Self.recipe.replacingOccurrences(of: "instruct.rouge-l", with: "instruct.bleu"))
        defer { try? FileManager.default.removeItem(atPath: (recipe as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["run", recipe, "--run-dir", run, "--quiet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\"instruct.bleu\" is not an evaluator") && result.stderr.contains("instruct.rouge-l"), "\(result.stderr)")
        #expect(try RunStore(runDirectory: run, create: false).stats().teacherCalls == 0)
    }

    @Test func killedDuringElicitationAndTrainingResumesToTheSameCurve() throws {
        let (recipe, clean) = try ElicitFixture.write(Self.recipe)
        defer { try? FileManager.default.removeItem(atPath: (recipe as NSString).deletingLastPathComponent) }
        let uninterrupted = try RetortCommand.run(["run", recipe, "--run-dir", clean, "--quiet"])
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let expectedData = try ElicitFixture.contents(of: clean)
        let expectedSteps = Self.steps(clean)

        let killed = (recipe as NSString).deletingLastPathComponent + "/killed"
        // During elicitation: once a unit is committed and before training starts.
        let duringElicitation = try Self.runAndKill(recipe, run: killed) { store in
            (try? store.completedUnits(stage: "label").count).map { $0 >= 2 } ?? false
        }
        #expect(duringElicitation, "the run finished before the kill during elicitation")
        #expect(Self.steps(killed).isEmpty)
        // During training: after the first checkpoint (step 2), before the stage ends.
        let duringTraining = try Self.runAndKill(recipe, run: killed) { store in
            ((try? store.trainingSteps(stage: "sft").count) ?? 0) >= 3
        }
        #expect(duringTraining, "the run finished before the kill during training")
        let resumed = try RetortCommand.run(["run", recipe, "--run-dir", killed, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let got = try ElicitFixture.contents(of: killed)
        #expect(got.records == expectedData.records)
        #expect(got.rejections == expectedData.rejections)
        let gotSteps = Self.steps(killed)
        #expect(gotSteps.map(\.step) == expectedSteps.map(\.step))
        #expect(gotSteps.map(\.loss) == expectedSteps.map(\.loss), "the resumed curve differs from the uninterrupted one")
    }

    /// Starts `retort run` and kills it with SIGKILL once `ready` holds for its run store. Returns
    /// whether the kill happened (false: the run ended first).
    static func runAndKill(_ recipe: String, run: String, ready: (RunStore) -> Bool) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RetortCommand.buildDirectory + "/retort")
        process.arguments = ["run", recipe, "--run-dir", run, "--quiet"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "RETORT_PLUGIN_PATH")
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning {
            if let store = try? RunStore(runDirectory: run, create: false), ready(store) { break }
            usleep(50_000)
        }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed
    }
}
