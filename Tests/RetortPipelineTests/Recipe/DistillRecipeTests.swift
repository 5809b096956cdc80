// The recipe's student, distill, evaluate and export blocks: a full recipe decodes into typed
// settings, and each mistake names the line and the field.
import Foundation
import RetortDistill
import RetortPipeline
import RetortTensor
import Testing

@Suite struct DistillRecipeTests {
    static let head = "teacher: {model: m}\nplugins: [p]\nknowledge:\n  - {name: label, strategy: labeling, input: {seeds: s}}\n"

    @Test func decodesStudentStagesAndEvaluation() throws {
        let text = Self.head + """
            student:
              from: teacher
              layers: 20
              lora: {rank: 4, alpha: 8, projections: [q_proj, v_proj]}
            distill:
              - {name: sft, data: [label], objectives: [sft], epochs: 2, batch: 8, learning_rate: 2e-4, schedule: linear, warmup: 3}
              - name: mix
                objectives: [{name: sft, weight: 0.5}, {name: jsd, weight: 0.5, beta: 0.9}]
                steps: 40
                on_policy: {ratio: 0.25, max_tokens: 32}
            evaluate: {held_out: 0.2, generate: 4, evaluators: [p.rouge-l], judge: {against: [teacher], max_tokens: 64}}
            export: {gguf: [f16, Q4_0], huggingface: bf16, bundle: false}
            """
        let recipe = try Recipe.parse(text, file: "full.yaml")
        #expect(recipe.evaluate.judge == JudgeSpec(plugin: "p", template: "pairwise", parser: "pairwise-verdict", against: [.teacher], maxTokens: 64))
        #expect(recipe.export == ExportSpec(gguf: [.f16, .q4_0], huggingFace: .bf16, bundle: false))
        let plain = try Recipe.parse(Self.head + "student: {layers: 4}\n", file: "plain.yaml")
        #expect(plain.export == .defaults && plain.export.gguf == [.q8_0] && plain.export.bundle && plain.evaluate.judge == nil)
        let student = try #require(recipe.student)
        #expect(student.initialization == .teacherLayers(.count(20)))
        #expect(student.lora?.rank == 4 && student.lora?.projections == ["q_proj", "v_proj"])
        #expect(recipe.distill.map(\.name) == ["sft", "mix"])
        #expect(recipe.distill[0].epochs == 2 && recipe.distill[0].steps == nil && recipe.distill[0].schedule == .linear)
        #expect(!recipe.distill[0].needsTeacherDistributions && recipe.distill[1].needsTeacherDistributions)
        #expect(recipe.distill[1].objectives.map(\.name) == ["sft", "jsd"])
        #expect(recipe.distill[1].objectives[1].parameters == ["beta": 0.9])
        #expect(recipe.distill[1].onPolicy?.ratio == 0.25)
        #expect(recipe.evaluate.heldOut == 0.2 && recipe.evaluate.evaluators == ["p.rouge-l"])
        #expect(recipe.evaluate.judge?.method == .auto && recipe.evaluate.judge?.score == nil)
        let api = "teacher: {backend: openai, base_url: \"http://127.0.0.1:9/v1\", model: m}\nplugins: [p]\n"
        #expect(try Recipe.parse(api + "evaluate: {judge: {method: text, score: true}}\n", file: "a.yaml").evaluate.judge
            == JudgeSpec(plugin: "p", template: "pairwise", parser: "pairwise-verdict", against: [.baseline, .teacher], maxTokens: 256,
                         score: .init(), method: .text))
        #expect(throws: RecipeError.self) { try Recipe.parse(api + "evaluate: {judge: {method: logprobs}}\n", file: "a.yaml") }
        #expect(recipe.distill.map(\.start) == [.previous, .previous])
        #expect(recipe.distill[0].spikeGuard == LossSpikeGuard())

        let branches = try Recipe.parse(Self.head + """
            student: {layers: 4}
            distill:
              - {name: warm, objectives: [sft], steps: 2, spike_guard: false}
              - {name: kl, from: warm, objectives: [forward-kl], steps: 2, spike_guard: {factor: 5, window: 8}}
              - {name: cold, from: initial, objectives: [reverse-kl], steps: 4}
              - {name: after, from: previous, objectives: [sft], steps: 1}
            """, file: "branches.yaml")
        #expect(branches.distill.map(\.start) == [.previous, .stage("warm"), .initial, .previous])
        #expect(branches.distill[0].spikeGuard == nil)
        #expect(branches.distill[1].spikeGuard == LossSpikeGuard(factor: 5, window: 8, backoff: 0.5))

        let preference = try Recipe.parse(Self.head + """
            student: {layers: 4}
            distill:
              - {name: prefs, data: [label], objectives: [{name: dpo, beta: 0.2}, {name: rrhf, weight: 0.1}], steps: 3}
            """, file: "prefs.yaml").distill[0]
        #expect(preference.level == .sequence && !preference.needsTeacherDistributions)
        #expect(preference.objectives.map(\.name) == ["dpo", "rrhf"] && preference.objectives[0].parameters == ["beta": 0.2])
        #expect(recipe.distill.allSatisfy { $0.level == .token && !$0.needsTeacherHiddenStates })
        let features = try Recipe.parse(Self.head + """
            student: {layers: 4}
            distill:
              - {objectives: [sft, {name: cosine, weight: 0.5}], feature_layers: [[2, 15], [4, 30, 0.5]], steps: 3}
            """, file: "features.yaml").distill[0]
        #expect(features.level == .token && features.needsTeacherHiddenStates && !features.needsTeacherDistributions)
        #expect(features.featureLayers == [FeatureLayerPair(studentLayer: 2, teacherLayer: 15), FeatureLayerPair(studentLayer: 4, teacherLayer: 30, weight: 0.5)])
        #expect(try LayerChoice.count(10).resolve(layerCount: 30) == [0, 3, 6, 10, 13, 16, 19, 23, 26, 29])
        #expect(try LayerChoice.every(3).resolve(layerCount: 7) == [0, 3, 6])
        #expect(throws: (any Error).self) { try LayerChoice.indices([0, 30]).resolve(layerCount: 30) }
    }

    @Test func precisionIsFloat32UnlessAStageAsksForBF16() throws {
        let text = Self.head + "student: {layers: 4}\ndistill:\n  - {name: a, objectives: [sft]}\n  - {name: b, objectives: [sft], precision: bf16}\n"
        if GEMM.bfloat16Backend != nil {
            let recipe = try Recipe.parse(text, file: "p.yaml")
            #expect(recipe.distill.map(\.precision) == [.float32, .bfloat16])
        } else {
            #expect(throws: RecipeError.self) { try Recipe.parse(text, file: "p.yaml") }
        }
        #expect(throws: RecipeError.self) {
            try Recipe.parse(Self.head + "student: {layers: 4}\ndistill:\n  - {objectives: [sft], precision: fp8}\n", file: "p.yaml")
        }
    }

    @Test func mistakesNameTheLineAndField() {
        let cases: [(String, Int, String, String)] = [
            ("student: {from: teacher}\n", 5, "student", "needs `layers`"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], learning_rate: fast}\n", 7, "distill[0].learning_rate", "expected a number"),
            ("student: {layers: 4}\ndistill:\n  - objectives: [{name: kl}]\n", 7, "distill[0].objectives[0].name", "unknown objective"),
            ("student: {layers: 4}\ndistill:\n  - objectives: [{name: jsd, beta: 2}]\n", 7, "distill[0].objectives[0]", "beta"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], on_policy: {ratio: 0.5}}\n", 7, "distill[0].on_policy", "distribution objective"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], data: [nope]}\n", 7, "distill[0]", "not a knowledge stage"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], steps: 3, epochs: 1}\n", 7, "distill[0]", "not both"),
            ("distill:\n  - {objectives: [sft]}\n", 6, "distill", "need a `student` block"),
            ("student: {layers: 4, lora: {projections: [qkv]}}\n", 5, "student.lora.projections", "unknown projection"),
            ("evaluate: {generate: 0, evaluators: [p.rouge-l]}\n", 5, "evaluate.evaluators", "set `generate` above 0"),
            ("evaluate: {generate: 0, judge: {}}\n", 5, "evaluate.judge", "set `generate` above 0"),
            ("evaluate: {generate: 2, judge: {against: [human]}}\n", 5, "evaluate.judge.against", "unknown opponent"),
            ("evaluate: {generate: 2, judge: {plugin: q}}\n", 5, "evaluate.judge.plugin", "not in the recipe's `plugins`"),
            ("student: {layers: 4}\nexport: {gguf: [q3_k]}\n", 6, "export.gguf", "unknown GGUF type"),
            ("student: {layers: 4}\nexport: {gguf: [], bundle: true}\n", 6, "export.bundle", "list at least one type"),
            ("export: {gguf: [f16]}\n", 5, "export", "no `student` block"),
            ("evaluate: {judge: {method: guess}}\n", 5, "evaluate.judge.method", "auto, text, logprobs"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], from: warm}\n", 7, "distill[0].from", "first one, so use initial"),
            ("student: {layers: 4}\ndistill:\n  - {name: a, objectives: [sft]}\n  - {objectives: [sft], from: b}\n", 8, "distill[1].from",
             "one of: a"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], spike_guard: {factor: 0.5}}\n", 7, "distill[0].spike_guard.factor", "1.01"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], spike_guard: {limit: 3}}\n", 7, "distill[0].spike_guard.limit", "unknown field"),
            ("student: {layers: 4}\ndistill:\n  - objectives: [sft, dpo]\n", 7, "distill[0].objectives[1]", "split them into two stages"),
            ("student: {layers: 4}\ndistill:\n  - objectives: [dpo, cosine]\n", 7, "distill[0].objectives[1]", "split them into two stages"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], feature_layers: [[1, 2]]}\n", 7, "distill[0].feature_layers", "add mse"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [mse], feature_layers: [[1]]}\n", 7, "distill[0].feature_layers[0]", "[student layer, teacher layer]"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [mse], feature_layers: [[1.5, 2]]}\n", 7, "distill[0].feature_layers[0][0]", "whole number"),
            ("student: {layers: 4}\ndistill:\n  - objectives: [bradley-terry, rrhf]\n", 7, "distill[0].objectives", "stage of its own"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [bradley-terry], rollouts: {reward: a.b}}\n", 7, "distill[0].rollouts", "later stage"),
            ("student: {layers: 4}\ndistill:\n  - {name: a, objectives: [dpo]}\n  - {objectives: [policy-gradient], rollouts: {reward: \"stage:a\"}}\n", 8,
             "distill[1].rollouts.reward", "not an earlier stage training a reward model"),
            ("student: {layers: 4}\ndistill:\n  - {name: rm, objectives: [bradley-terry]}\n  - {objectives: [sft], from: rm}\n", 8,
             "distill[1].from", "trains a reward model"),
            ("student: {layers: 4}\ndistill:\n  - objectives: [policy-gradient]\n", 7, "distill[0].objectives[0]", "reward for every sampled answer"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft], rollouts: {reward: instruct.rouge-l}}\n", 7, "distill[0].rollouts", "sft is not one"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [policy-gradient], rollouts: {reward: rouge}}\n", 7, "distill[0].rollouts.reward",
             "<plugin>.<evaluator>"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [policy-gradient], rollouts: {reward: a.b, samples: 1}}\n", 7,
             "distill[0].rollouts.samples", "2"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [dpo], on_policy: {ratio: 0.5}}\n", 7, "distill[0].on_policy", "preference stage"),
            ("student: {layers: 4}\ndistill:\n  - {objectives: [sft, cosine], on_policy: {ratio: 0.5}}\n", 7, "distill[0].on_policy", "distribution objective"),
        ]
        for (tail, line, field, message) in cases {
            do {
                _ = try Recipe.parse(Self.head + tail, file: "bad.yaml")
                Issue.record("accepted:\n\(tail)")
            } catch {
                #expect(error.file == "bad.yaml")
                #expect(error.line == line, "\(error.localizedDescription)")
                #expect(error.field == field, "\(error.localizedDescription)")
                #expect(error.message.contains(message), "\(error.localizedDescription)")
            }
        }
    }
}

@Suite struct DefaultRecipeTests {
    static var examplesFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/recipes").path
    }

    @Test func embeddedDefaultIsTheShippedExampleAndParses() throws {
        let shipped = try String(contentsOfFile: Self.examplesFolder + "/distill-default.yaml", encoding: .utf8)
        #expect(DefaultRecipe.text() == shipped)
        let recipe = try Recipe.parse(DefaultRecipe.text(), file: "default.yaml")
        #expect(recipe.teacher.backend == .local && recipe.distill.map(\.name) == ["sft", "gkd"])
    }

    /// The preference example: SFT with a hidden-state objective, then DPO on the feedback stage's pairs.
    @Test func preferenceExampleParses() throws {
        let recipe = try Recipe.load(path: Self.examplesFolder + "/preference.yaml")
        #expect(recipe.distill.map(\.name) == ["sft", "dpo"])
        #expect(recipe.distill[0].needsTeacherHiddenStates && recipe.distill[1].level == .sequence && recipe.distill[1].data == ["revise"])
    }

    /// `make experiment`: every arm has the same step budget and data, from the un-distilled student or the SFT warm-up.
    @Test func experimentArmsShareDataAndBudget() throws {
        let recipe = try Recipe.load(path: Self.examplesFolder + "/experiment.yaml")
        #expect(recipe.distill.map(\.name) == ["sft-only", "forward-kl-cold", "reverse-kl-cold", "warm", "sft", "forward-kl", "reverse-kl", "jsd", "on-policy"])
        let steps = Dictionary(uniqueKeysWithValues: recipe.distill.map { ($0.name, $0.steps ?? 0) })
        for arm in recipe.distill where arm.name != "warm" {
            let budget = arm.start == .initial ? steps[arm.name]! : steps["warm"]! + steps[arm.name]!
            #expect(budget == 40, "\(arm.name): \(budget) steps")
            #expect(arm.start == .initial || arm.start == .stage("warm"))
            #expect(arm.data.isEmpty && arm.batchRows == 4 && arm.sequenceLength == 256)
        }
        #expect(recipe.distill.first { $0.name == "on-policy" }?.onPolicy?.ratio == 0.5)
        #expect(recipe.export.gguf.isEmpty && !recipe.export.bundle)
    }

    @Test func variationsSwapTeacherAndPlugin() throws {
        var api = DefaultRecipe.Choices()
        api.teacher = "http://127.0.0.1:8080/v1"
        let apiRecipe = try Recipe.parse(DefaultRecipe.text(api), file: "api.yaml")
        #expect(apiRecipe.teacher.backend == .openai && apiRecipe.teacher.baseURL == "http://127.0.0.1:8080/v1")
        #expect(apiRecipe.distill.map(\.name) == ["sft"], "an API teacher has no distributions for JSD")
        #expect(apiRecipe.student?.initialization == .model(name: "smollm2-135m-instruct", layers: .count(20)))

        var plugin = DefaultRecipe.Choices()
        plugin.plugin = "reasoning"
        plugin.seeds = "problems"
        let pluginRecipe = try Recipe.parse(DefaultRecipe.text(plugin), file: "plugin.yaml")
        #expect(pluginRecipe.plugins == ["reasoning", "instruct"] && pluginRecipe.knowledge.map(\.name) == ["label"])
        #expect(pluginRecipe.knowledge[0].settings.plugin == "reasoning" && pluginRecipe.evaluate.judge?.plugin == "instruct")
        #expect(pluginRecipe.distill.allSatisfy { $0.data == ["label"] })
    }
}
