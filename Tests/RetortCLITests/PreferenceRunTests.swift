// A preference stage run from a recipe: the embedded teacher labels a few tasks, critiques and revises
// its answers (each revision is a preference pair over the first answer), the student warms up with
// SFT and a hidden-state objective, then trains DPO on the pairs. The DPO stage starts at log 2 (the reference is the student as
// the stage begins), its steps and checkpoint are stored, and the stage is evaluated like any other.
// A reward model (a copy of the student with a scalar head) then learns the same pairs with
// Bradley–Terry, and an RL stage samples the student's answers and trains on that model's scores.
import Foundation
import RetortPipeline
import Testing

@Suite(.serialized) struct PreferenceRunTests {
    static let recipe = """
        name: tiny-dpo
        seed: 9
        \(ElicitFixture.localTeacher)
        plugins: [instruct]
        knowledge:
          - {name: label, strategy: labeling, input: {seeds: tasks}, limit: 8, max_tokens: 40}
          - {name: revise, strategy: feedback, mode: critique-revise, input: {stage: label}, max_tokens: 40}
        student: {from: teacher, layers: 12}
        distill:
          - {name: warm, data: [label], objectives: [sft, {name: cosine, weight: 0.5}], steps: 2, batch: 2, sequence_length: 160, learning_rate: 5e-4}
          - {name: dpo, data: [revise], objectives: [{name: dpo, beta: 0.1}], steps: 3, batch: 4, sequence_length: 160, learning_rate: 1e-4}
          - {name: rm, data: [revise], objectives: [bradley-terry], steps: 3, batch: 4, sequence_length: 160, learning_rate: 1e-4}
          - name: rl
            data: [label]
            objectives: [{name: policy-gradient, kl_coef: 0.05}]
            rollouts: {reward: "stage:rm", samples: 2, prompts: 2, max_tokens: 12}
            steps: 2
            batch: 4
            sequence_length: 160
            learning_rate: 1e-4
        evaluate: {held_out: 0.1, max_examples: 2, generate: 0}
        export: {gguf: []}
        """

    @Test func dpoTrainsOnTheFeedbackStagesPreferencePairs() throws {
        let (path, run) = try ElicitFixture.write(Self.recipe)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["run", path, "--run-dir", run])
        #expect(result.status == 0, "\(result.stderr)")
        let store = try RunStore(runDirectory: run, create: false)
        let pairs = try store.records(stage: "revise", kind: .preference)
        #expect(!pairs.isEmpty, "the teacher revised none of its answers")
        #expect(result.stdout.contains("== distill dpo: 1.0×dpo on"), "\(result.stdout)")
        // The warm-up also pulled the student's hidden states toward the teacher's (cosine distance, in [0, 2]).
        let warm = try store.trainingSteps(stage: "warm")
        #expect(warm.count == 2 && warm.allSatisfy { ($0.objectives["cosine"] ?? -1) > 0 && ($0.objectives["cosine"] ?? 3) < 2 }, "\(warm)")
        let steps = try store.trainingSteps(stage: "dpo")
        #expect(steps.map(\.step) == [1, 2, 3])
        #expect(steps.allSatisfy { !$0.skipped && $0.loss.isFinite && $0.objectives["dpo"] == $0.loss }, "\(steps)")
        // Every margin is zero at the first step: the policy is its own reference.
        #expect(abs((steps.first?.loss ?? 0) - log(2)) < 1e-3, "\(steps)")
        let rm = try store.trainingSteps(stage: "rm")
        #expect(rm.map(\.step) == [1, 2, 3] && rm.allSatisfy { !$0.skipped && $0.objectives["bradley-terry"] == $0.loss }, "\(rm)")
        #expect((rm.last?.loss ?? 1) < (rm.first?.loss ?? 0), "\(rm)")
        let accuracy = try #require(try store.meta("distill.rm.pairwise_accuracy").flatMap(Double.init))
        #expect(accuracy >= 0 && accuracy <= 1)
        #expect(result.stdout.contains("rm: the reward model ranks"), "\(result.stdout)")
        let rl = try store.trainingSteps(stage: "rl")
        #expect(rl.map(\.step) == [1, 2] && rl.allSatisfy { !$0.skipped && $0.loss.isFinite && $0.objectives["reward_mean"]?.isFinite == true },
                "\(rl)")
        // The reward model is a side branch: no student checkpoint of it is evaluated, and the RL
        // stage starts from the DPO stage's student.
        let checkpoints = Set(try store.evaluations().map(\.checkpoint))
        #expect(checkpoints == ["baseline", "warm@2", "dpo@3", "rl@2"], "\(checkpoints)")
    }

    @Test func aPreferenceStageWithoutPairsSaysWhereToGetThem() throws {
        let recipe = Self.recipe.components(separatedBy: "  - {name: revise")[0] + """
            student: {from: teacher, layers: 12}
            distill:
              - {name: dpo, data: [label], objectives: [dpo], steps: 1, batch: 2, sequence_length: 160}
            evaluate: {generate: 0}
            export: {gguf: []}
            """
        let (path, run) = try ElicitFixture.write(recipe)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["run", path, "--run-dir", run])
        #expect(result.status != 0)
        #expect(result.stderr.contains("add a feedback stage (mode: pairwise or critique-revise)"), "\(result.stderr)")
    }
}
