// The distill stages of a run in order, with the evaluations around them: the un-distilled
// student first ("baseline"), then each stage's final checkpoint ("<stage>@<step>"). A finished
// stage is marked in the run's metadata. A stage starts from the final checkpoint of the stage before
// it, of a named earlier stage, or from the un-distilled student (its `from`), so stages can branch
// from one point for a comparison; an unfinished stage resumes from its own last checkpoint.
import Foundation
import RetortDistill
import RetortModels
import RetortTensor

struct TrainingSession {
    let recipe: Recipe
    let store: RunStore
    let runDirectory: String
    let models: RunModels
    let evaluators: PluginEvaluators
    /// The evaluators of the stages' `rollouts.reward`.
    let rewards: PluginEvaluators
    let log: (String) -> Void

    static func doneKey(_ stage: String) -> String { "distill.\(stage).done_step" }

    func trainAndEvaluate(train: Bool, evaluate: Bool) throws {
        let longest = recipe.distill.map(\.sequenceLength).max() ?? 512
        let heldOut = try ConversationExamples.load(
            store: store, stages: recipe.distill.flatMap(\.data), model: models.student, sequenceLength: longest,
            heldOut: recipe.evaluate.heldOut).heldOut
        let evaluation = StudentEvaluation(student: models.student, teacher: models.teacher, spec: recipe.evaluate,
                                           evaluators: evaluators, runDirectory: runDirectory)
        let evaluated = Set(try store.evaluations().map(\.checkpoint))
        if evaluate, !evaluated.contains("baseline") {
            log("== evaluating the un-distilled student on \(min(heldOut.count, recipe.evaluate.maxExamples)) held-out answers")
            report("baseline", try evaluation.run(heldOut: heldOut, checkpoint: "baseline", stage: "", step: 0, store: store))
        }
        // The un-distilled weights, kept when a later stage starts over from them (`from: initial`).
        let initial = recipe.distill.dropFirst().contains { $0.start == .initial } ? InitialWeights(models.student.model) : nil
        var previous: String?
        for spec in recipe.distill {
            let directory = DistillStageRunner.checkpointDirectory(runDirectory: runDirectory, stage: spec.name)
            var steps = try store.meta(Self.doneKey(spec.name)).flatMap { Int($0) }
            if steps == nil {
                guard train else { break }
                if try CheckpointStore.latest(in: directory) == nil {
                    switch spec.start {
                    case .previous: if let previous { try loadWeights(ofStage: previous) }
                    case .initial: try initial?.restore()
                    case .stage(let stage): try loadWeights(ofStage: stage)
                    }
                    if spec.start != .previous { log("== \(spec.name) starts from \(Self.describe(spec.start))") }
                }
                let objectives = spec.objectives.map { "\($0.weight)×\($0.name)" }.joined(separator: " + ")
                var conversations: [ConversationExample] = [], preferences: [PreferenceExample] = [], heldOutPairs: [PreferenceExample] = []
                var skipped: [(key: String, reason: String)]
                if let rollouts = spec.rollouts {
                    let data = try ConversationExamples.load(store: store, stages: spec.data, model: models.student,
                                                             sequenceLength: spec.sequenceLength, heldOut: recipe.evaluate.heldOut)
                    (conversations, skipped) = (data.training, data.skipped)
                    log("== distill \(spec.name): \(objectives) on the student's answers to \(conversations.count) prompts "
                        + "(\(rollouts.samples) per prompt, reward \(rollouts.reward)\(rollouts.metric.map { ".\($0)" } ?? ""))")
                } else if spec.level == .sequence {
                    let data = try PreferenceExamples.load(store: store, stages: spec.data, model: models.student,
                                                           sequenceLength: spec.sequenceLength, heldOut: recipe.evaluate.heldOut)
                    (preferences, heldOutPairs, skipped) = (data.training, data.heldOut, data.skipped)
                    log("== distill \(spec.name): \(objectives) on \(preferences.count) preference pairs"
                        + (spec.trainsRewardModel ? " (a reward model: a copy of the student with a scalar head)" : ""))
                } else {
                    let data = try ConversationExamples.load(store: store, stages: spec.data, model: models.student,
                                                             sequenceLength: spec.sequenceLength, heldOut: recipe.evaluate.heldOut)
                    (conversations, skipped) = (data.training, data.skipped)
                    log("== distill \(spec.name): \(objectives) on \(conversations.count) examples")
                }
                if let first = skipped.first { log("   \(skipped.count) records skipped: \(first.reason)") }
                let runner = DistillStageRunner(spec: spec, store: store, runDirectory: runDirectory, student: models.student,
                                                teacher: models.teacher, seed: recipe.seed &+ UInt64(recipe.distill.firstIndex { $0.name == spec.name }!),
                                                reward: spec.rollouts.flatMap { rewards.evaluator(named: $0.reward) },
                                                rewardModel: try spec.rollouts?.rewardStage.map(loadRewardModel), log: log)
                steps = try runner.run(data: conversations, preferences: preferences, heldOutPreferences: heldOutPairs)
                try store.setMeta(Self.doneKey(spec.name), String(steps!))
            } else if evaluate, !spec.trainsRewardModel, !evaluated.contains(Self.checkpointName(spec.name, steps!)) {
                try loadWeights(ofStage: spec.name)
            }
            // A reward model is a side branch: the student and the stages after it go on from the stage before.
            if spec.trainsRewardModel { continue }
            previous = spec.name
            let name = Self.checkpointName(spec.name, steps!)
            if evaluate, !evaluated.contains(name) {
                log("== evaluating \(name)")
                report(name, try evaluation.run(heldOut: heldOut, checkpoint: name, stage: spec.name, step: steps!, store: store))
            }
        }
    }

    static func checkpointName(_ stage: String, _ step: Int) -> String { "\(stage)@\(step)" }

    static func describe(_ start: DistillStageSpec.Start) -> String {
        switch start {
        case .previous: "the stage before it"
        case .initial: "the un-distilled student"
        case .stage(let stage): "the end of stage \(stage)"
        }
    }

    /// The reward model a `bradley-terry` stage trained: the student's shape with a scalar head,
    /// every weight from the stage's newest checkpoint, frozen.
    func loadRewardModel(stage: String) throws -> RewardModel {
        let directory = DistillStageRunner.checkpointDirectory(runDirectory: runDirectory, stage: stage)
        guard let path = try CheckpointStore.latest(in: directory) else {
            throw DistillError("stage \(stage) has no reward-model checkpoint in \(directory); run it first (it comes earlier in the recipe)")
        }
        let reward = try RewardModel(base: try LlamaModel(zeroedFor: models.student.model.config), seed: 0)
        let parameters = reward.trainableParameters
        _ = try CheckpointStore.restore(from: path, into: parameters, optimizer: AdamW(parameters: parameters), optimizerKind: "adamw")
        reward.base.freezeBaseParameters()
        reward.head.weight.freeze()
        reward.base.isTraining = false
        return reward
    }

    /// Loads a stage's newest checkpoint into the student's trainable parameters.
    func loadWeights(ofStage stage: String) throws {
        let directory = DistillStageRunner.checkpointDirectory(runDirectory: runDirectory, stage: stage)
        guard let path = try CheckpointStore.latest(in: directory) else {
            throw DistillError("stage \(stage) is marked finished but \(directory) holds no checkpoint; delete the run folder's distill state or start a new --run-dir")
        }
        let parameters = models.student.model.trainableParameters
        // The optimizer state is read to check the file and then dropped: the next stage starts fresh.
        _ = try CheckpointStore.restore(from: path, into: parameters, optimizer: AdamW(parameters: parameters), optimizerKind: "adamw")
    }

    private func report(_ name: String, _ r: StudentEvaluationResult) {
        var parts = ["perplexity \(String(format: "%.2f", r.perplexity))"]
        if r.heldOutKL.isFinite { parts.insert("KL(teacher‖student) \(String(format: "%.3f", r.heldOutKL)) per token", at: 0) }
        if let rouge = r.rougeL { parts.append("ROUGE-L \(String(format: "%.3f", rouge))") }
        for (name, value) in r.pluginScores.sorted(by: { $0.key < $1.key }) { parts.append("\(name) \(String(format: "%.3f", value))") }
        log("   \(name): " + parts.joined(separator: ", "))
    }
}
