// `retort run` on a tiny recipe with the embedded teacher: it elicits, evaluates the un-distilled
// layer-subset student, trains SFT then on-policy JSD, evaluates each stage (KL to the teacher
// falls), exports the trained student (GGUF at two types, a Hugging Face folder) and bundles it,
// and a second run on the same folder does nothing again. A run killed with SIGKILL during
// elicitation and during training resumes to the same data and the same loss curve.
import Foundation
import RetortModels
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
        evaluate: {held_out: 0.2, max_examples: 2, generate: 1, max_tokens: 6, evaluators: [instruct.rouge-l], judge: {max_tokens: 24}}
        export: {gguf: [q8_0, f32], huggingface: f16}
        """

    static func steps(_ run: String) -> [TrainingStepRow] {
        (try? RunStore(runDirectory: run, create: false).trainingSteps()) ?? []
    }

    @Test func runTrainsEvaluatesAndResumesWithoutRedoingWork() throws {
        let (recipe, run) = try ElicitFixture.write(Self.recipe)
        let folder = (recipe as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A run folder relative to the working directory, as `make demo` gives it.
        let first = try RetortCommand.run(["run", recipe, "--run-dir", "run", "--quiet"], currentDirectory: folder)
        #expect(run == folder + "/run")
        #expect(first.status == 0, "\(first.stderr)")
        let store = try RunStore(runDirectory: run, create: false)
        let evaluations = try store.evaluations()
        #expect(Set(evaluations.map(\.checkpoint)) == ["baseline", "sft@6", "gkd@2"])
        let kl = Dictionary(uniqueKeysWithValues: evaluations.filter { $0.metric == EvaluationMetric.heldoutKL.name }.map { ($0.checkpoint, $0.value) })
        #expect((kl["sft@6"] ?? .nan) < (kl["baseline"] ?? .nan), "SFT on the teacher's answers should bring the student closer: \(kl)")
        let pluginScores = evaluations.filter { $0.metric == "plugin:instruct.rouge-l" }
        #expect(pluginScores.count == 3 && pluginScores.allSatisfy { (0...1).contains($0.value) }, "\(evaluations)")
        // The teacher judged every checkpoint against its own answers and the trained ones against the baseline.
        let vsTeacher = evaluations.filter { $0.metric == EvaluationMetric.winRateVsTeacher.name }
        let vsBaseline = evaluations.filter { $0.metric == EvaluationMetric.winRateVsBaseline.name }
        #expect(Set(vsTeacher.map(\.checkpoint)) == ["baseline", "sft@6", "gkd@2"] && Set(vsBaseline.map(\.checkpoint)) == ["sft@6", "gkd@2"])
        // The local teacher's verdicts are read from its probabilities: mean preferences, not half-integers.
        #expect((vsTeacher + vsBaseline).allSatisfy { (0...1).contains($0.value) }, "\(vsTeacher + vsBaseline)")
        #expect((vsTeacher + vsBaseline).contains { $0.value != 0.5 }, "\(vsTeacher + vsBaseline)")
        #expect(try store.trainingSteps(stage: "sft").map(\.step) == Array(1...6))
        #expect(try store.trainingSteps(stage: "gkd").count == 2)
        #expect(first.stdout.contains("baseline") && first.stdout.contains("gkd@2"), "\(first.stdout)")
        let calls = try store.stats().teacherCalls
        try Self.checkExport(store: store, run: run)

        let second = try RetortCommand.run(["run", recipe, "--run-dir", "run"], currentDirectory: folder)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try store.stats().teacherCalls == calls)
        #expect(try store.evaluations() == evaluations, "a finished run evaluated again")
        #expect(try store.trainingSteps().count == 8)
        #expect(second.stdout.contains("export: up to date with gkd@2") && second.stdout.contains("(up to date)"), "\(second.stdout)")
    }

    /// The exported files hold the trained 12-layer student (not the teacher's layers), the types
    /// agree with each other, and the bundle verifies.
    static func checkExport(store: RunStore, run: String) throws {
        let artifacts = Dictionary(uniqueKeysWithValues: try store.artifacts().map { ($0.kind, $0.path) })
        #expect(Set(artifacts.keys) == ["gguf", "gguf.f32", "huggingface", "bundle"], "\(artifacts)")
        guard let f32Path = artifacts["gguf.f32"], let q8Path = artifacts["gguf"], let folder = artifacts["huggingface"] else { return }
        let f32 = try LocalLanguageModel(ggufPath: f32Path), q8 = try LocalLanguageModel(ggufPath: q8Path)
        let hf = try LocalLanguageModel(modelPath: folder)
        #expect(f32.model.config.numHiddenLayers == 12 && hf.model.config.numHiddenLayers == 12)
        #expect(f32.info.chatTemplate != nil && f32.info.chatTemplate == hf.info.chatTemplate)
        let teacher = try LocalLanguageModel(ggufPath: try ModelStore.resolve("smollm2-135m-instruct", directory: ModelStore.directory(explicit: nil)))
        // Layer 0 is always kept; training moved it away from the teacher's.
        func layer0(_ m: LocalLanguageModel) -> [Float] {
            m.model.parameters.first { $0.name == "model.layers.0.self_attn.q_proj.weight" }?.value.toArray() ?? []
        }
        let trained = layer0(f32), original = layer0(teacher)
        #expect(!trained.isEmpty && trained.count == original.count)
        #expect(zip(trained, original).contains { $0 != $1 }, "the export holds the teacher's weights, not the trained student's")
        let tokens = f32.tokenizer.encode("<|im_start|>user\nName a color.<|im_end|>\n<|im_start|>assistant\n", parseSpecial: true)
        func logits(_ m: LocalLanguageModel) throws -> [Float] {
            m.model.isTraining = false
            return try m.model.forward(tokens: tokens, B: 1, T: tokens.count).logits.toArray()
        }
        let reference = try logits(f32)
        for (name, other) in [("Q8_0", try logits(q8)), ("Hugging Face F16", try logits(hf))] {
            let difference = zip(reference, other).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
            let size = reference.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
            #expect(difference / size < 0.05, "\(name) logits differ from F32 by \(difference / size) (relative)")
        }
        let verify = try RetortCommand.run(["bundle", "verify", run + "/bundle"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// Stages that branch: `again` starts over from the un-distilled student and `branch` from the end
    /// of `warm`, though `other` trained in between. A step at a vanishing learning rate leaves the
    /// weights as they started, so each branch scores like its starting point.
    @Test func stagesStartFromTheUndistilledStudentOrANamedStage() throws {
        let recipe = Self.recipe.components(separatedBy: "student:")[0] + """
            student: {from: teacher, layers: 12}
            distill:
              - {name: warm, objectives: [sft], steps: 4, batch: 2, sequence_length: 128, learning_rate: 1e-3}
              - {name: other, objectives: [sft], steps: 2, batch: 2, sequence_length: 128, learning_rate: 1e-3}
              - {name: again, from: initial, objectives: [sft], steps: 1, batch: 2, sequence_length: 128, learning_rate: 1e-9}
              - {name: branch, from: warm, objectives: [sft], steps: 1, batch: 2, sequence_length: 128, learning_rate: 1e-9}
            evaluate: {held_out: 0.2, max_examples: 2, generate: 0}
            export: {gguf: []}
            """
        let (path, run) = try ElicitFixture.write(recipe)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["run", path, "--run-dir", run])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("again starts from the un-distilled student") && result.stdout.contains("branch starts from the end of stage warm"),
                "\(result.stdout)")
        let perplexity = Dictionary(uniqueKeysWithValues: try RunStore(runDirectory: run, create: false).evaluations()
            .filter { $0.metric == EvaluationMetric.perplexity.name }.map { ($0.checkpoint, $0.value) })
        let baseline = try #require(perplexity["baseline"]), warm = try #require(perplexity["warm@4"])
        let other = try #require(perplexity["other@2"])
        #expect(abs(warm - baseline) > 0.01 * baseline && abs(other - warm) > 0.001 * warm, "\(perplexity)")
        #expect(abs((perplexity["again@1"] ?? .nan) - baseline) < 1e-4 * baseline, "\(perplexity)")
        #expect(abs((perplexity["branch@1"] ?? .nan) - warm) < 1e-4 * warm, "\(perplexity)")
        let table = try RetortCommand.run(["report", run, "--table"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("| checkpoint | trained by | step | heldout_kl | perplexity |"), "\(table.stdout)")
        #expect(table.stdout.contains("| again@1 | sft, from the un-distilled student | 1 |") && table.stdout.contains("| branch@1 | sft, from warm | 1 |"),
                "\(table.stdout)")
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
