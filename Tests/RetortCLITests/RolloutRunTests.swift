// An RL stage run from a recipe: the embedded teacher labels a few tasks, then the student samples
// two answers to each of two prompts per step, the instruct plugin's ROUGE-L against the teacher's
// answer is the reward, and a policy-gradient step (KL to the student as it entered the stage)
// follows. Steps, rewards and the final checkpoint are stored and evaluated like any stage's.
import Foundation
import RetortPipeline
import Testing

@Suite(.serialized) struct RolloutRunTests {
    static let recipe = """
        name: tiny-rl
        seed: 4
        \(ElicitFixture.localTeacher)
        plugins: [instruct]
        knowledge:
          - {name: label, strategy: labeling, input: {seeds: tasks}, limit: 6, max_tokens: 32}
        student: {from: teacher, layers: 6}
        distill:
          - name: rl
            data: [label]
            objectives: [{name: policy-gradient, kl_coef: 0.05}]
            rollouts: {reward: instruct.rouge-l, samples: 2, prompts: 2, max_tokens: 12, temperature: 1}
            steps: 2
            batch: 4
            sequence_length: 160
            learning_rate: 1e-4
        evaluate: {held_out: 0.1, max_examples: 1, generate: 0}
        export: {gguf: []}
        """

    @Test func policyGradientTrainsOnTheStudentsScoredSamples() throws {
        let (path, run) = try ElicitFixture.write(Self.recipe)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["run", path, "--run-dir", run])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(2 per prompt, reward instruct.rouge-l)"), "\(result.stdout)")
        let store = try RunStore(runDirectory: run, create: false)
        let steps = try store.trainingSteps(stage: "rl")
        #expect(steps.map(\.step) == [1, 2])
        for step in steps {
            #expect(!step.skipped && step.loss.isFinite && step.objectives["policy-gradient"] == step.loss, "\(step)")
            let reward = try #require(step.objectives["reward_mean"])
            #expect(reward >= 0 && reward <= 1, "\(step)")
        }
        let checkpoints = Set(try store.evaluations().map(\.checkpoint))
        #expect(checkpoints == ["baseline", "rl@2"], "\(checkpoints)")
    }

    @Test func anUnknownRewardEvaluatorStopsTheRunBeforeAnyWork() throws {
        let recipe = Self.recipe.replacingOccurrences(of: "reward: instruct.rouge-l", with: "reward: instruct.bleu")
        let (path, run) = try ElicitFixture.write(recipe)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let result = try RetortCommand.run(["run", path, "--run-dir", run])
        #expect(result.status != 0)
        #expect(result.stderr.contains("distill rollouts.reward: \"instruct.bleu\" is not an evaluator"), "\(result.stderr)")
        let store = try RunStore(runDirectory: run, create: false)
        #expect(try store.records(stage: "label", kind: .conversation).isEmpty)
    }
}
