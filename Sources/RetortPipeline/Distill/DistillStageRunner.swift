// One distill stage: builds the trainer for the stage's objectives and data, resumes it from the
// stage's last checkpoint when there is one, and takes its steps — dataset steps, and with
// `on_policy` a seeded share λ of steps on the student's own samples scored by the teacher (GKD,
// MiniLLM). With `rollouts`, every step samples the student's answers to the data's prompts,
// scores them with a plugin evaluator and takes a policy-gradient step against a frozen copy of the
// student as it entered the stage. Every step is stored in the run store; checkpoints go to
// `checkpoints/<stage>/`.
import Foundation
import RetortDistill
import RetortModels
import RetortTensor

struct DistillStageRunner {
    let spec: DistillStageSpec
    let store: RunStore
    let runDirectory: String
    let student: LocalLanguageModel
    /// The white-box teacher (nil for an API teacher: only `sft` stages can run then).
    let teacher: LocalLanguageModel?
    let seed: UInt64
    /// The evaluator that scores the samples of a stage with `rollouts`.
    let reward: PluginEvaluators.Evaluator?
    /// The reward model that scores them instead (`reward: stage:<name>`).
    let rewardModel: RewardModel?
    let log: (String) -> Void

    var checkpointDirectory: String { Self.checkpointDirectory(runDirectory: runDirectory, stage: spec.name) }

    static func checkpointDirectory(runDirectory: String, stage: String) -> String {
        (runDirectory as NSString).appendingPathComponent("checkpoints/\(stage)")
    }

    /// Trains the stage to its last step, on `data` (token objectives) or on `preferences`
    /// (preference objectives, or a reward model's bradley-terry, which reports its pairwise
    /// accuracy on `heldOutPreferences`). Returns the number of steps it has.
    func run(data: [ConversationExample], preferences: [PreferenceExample] = [], heldOutPreferences: [PreferenceExample] = []) throws -> Int {
        let trainer: DistillationTrainer, configuration: TrainerConfiguration
        var trainedReward: RewardModel?
        if spec.trainsRewardModel {
            guard !preferences.isEmpty else {
                throw DistillError("distill stage \(spec.name) trains a reward model on preference pairs, and its data stages kept none: add a feedback stage (mode: pairwise or critique-revise) and list it in `data` (see `retort data stats`)")
            }
            configuration = try trainerConfiguration(tokens: preferences.reduce(0) { $0 + $1.sequenceLengths.reduce(0, +) })
            // A copy of the student as it enters the stage, every weight trained, with a fresh head.
            let base = try student.model.frozenCopy()
            base.unfreezeBaseParameters()
            base.isTraining = true
            let reward = try RewardModel(base: base, seed: seed &+ 0x5C0E)
            trainedReward = reward
            trainer = try DistillationTrainer(rewardModel: reward, preferences: preferences, configuration: configuration)
        } else if let rollouts = spec.rollouts {
            guard !data.isEmpty else {
                throw DistillError("distill stage \(spec.name) samples answers to its data's prompts, and its data stages kept no conversations (see `retort data stats`)")
            }
            configuration = try trainerConfiguration(tokens: 0, epochSteps: Double(data.count) / Double(rollouts.prompts))
            // The reference is the student as it enters the stage; a resume loads the trained
            // weights into the student only after this copy.
            trainer = try DistillationTrainer(policy: student.model, reference: try student.model.frozenCopy(), configuration: configuration)
        } else if spec.level == .sequence {
            guard !preferences.isEmpty else {
                throw DistillError("distill stage \(spec.name) trains \(spec.objectives.map(\.name).joined(separator: ", ")) on preference pairs, and its data stages kept none: add a feedback stage (mode: pairwise or critique-revise) and list it in `data` (see `retort data stats`)")
            }
            configuration = try trainerConfiguration(tokens: preferences.reduce(0) { $0 + $1.sequenceLengths.reduce(0, +) })
            trainer = try DistillationTrainer(model: student.model, preferences: preferences, configuration: configuration)
        } else {
            guard !data.isEmpty else {
                throw DistillError("distill stage \(spec.name) has no training examples: the knowledge stages kept no conversations (see `retort data stats`)")
            }
            if spec.needsTeacherHiddenStates && teacher == nil {
                throw DistillError("distill stage \(spec.name) uses hidden-state objectives (\(spec.objectives.map(\.name).joined(separator: ", "))), which compare the student's hidden states with the teacher's; this teacher is an API. Use a local (white-box) teacher, or leave them out")
            }
            let examples = try trainingExamples(data)
            configuration = try trainerConfiguration(tokens: examples.reduce(0) { $0 + $1.tokens.count })
            trainer = try DistillationTrainer(model: student.model, examples: examples, configuration: configuration,
                                              featureTeacher: spec.needsTeacherHiddenStates ? teacher?.model : nil)
        }
        if try CheckpointStore.latest(in: checkpointDirectory) != nil {
            try trainer.resume(from: checkpointDirectory)
            log("\(spec.name): resumed at step \(trainer.completedSteps) of \(configuration.maxSteps)")
        }
        try store.truncateTrainingSteps(stage: spec.name, after: trainer.completedSteps)
        student.model.isTraining = true
        defer { student.model.isTraining = false }
        var window: [StepResult] = []
        while trainer.completedSteps < configuration.maxSteps {
            let step = trainer.completedSteps + 1
            let result: StepResult
            if let rollouts = spec.rollouts {
                let batch = try rolloutBatch(step: step, data: data, settings: rollouts)
                var stepResult = try trainer.step(rollouts: batch)
                stepResult.objectiveLosses["reward_mean"] = batch.map { Double($0.reward) }.reduce(0, +) / Double(batch.count)
                result = stepResult
            } else if let onPolicy = spec.onPolicy, takesOnPolicyStep(step, ratio: onPolicy.ratio) {
                result = try trainer.step(providing: [try onPolicyExamples(step: step, data: data, settings: onPolicy)])
            } else {
                result = try trainer.step()
            }
            try store.appendTrainingSteps([row(result)])
            window.append(result)
            if result.skipped { log("\(spec.name): step \(result.step) skipped: \(result.skipReason ?? "non-finite values")") }
            if step % 10 == 0 || step == configuration.maxSteps {
                let trained = window.filter { !$0.skipped }
                let mean = trained.isEmpty ? Double.nan : trained.map(\.loss).reduce(0, +) / Double(trained.count)
                log("\(spec.name): step \(step)/\(configuration.maxSteps)  loss \(String(format: "%.4f", mean))  lr \(String(format: "%.2e", Double(result.learningRate)))")
                window.removeAll()
            }
        }
        // The last step is always a checkpoint: the next stage and the export start from it.
        let last = CheckpointStore.folderName(step: trainer.completedSteps)
        if try CheckpointStore.latest(in: checkpointDirectory).map({ !$0.hasSuffix(last) }) ?? true {
            try trainer.saveCheckpoint(to: checkpointDirectory)
        }
        if let trainedReward {
            let (pairs, kind) = heldOutPreferences.isEmpty ? (preferences, "training") : (heldOutPreferences, "held-out")
            let accuracy = try Self.pairwiseAccuracy(trainedReward, on: pairs)
            try store.setMeta("distill.\(spec.name).pairwise_accuracy", String(accuracy))
            log("   \(spec.name): the reward model ranks \(String(format: "%.1f", 100 * accuracy))% of \(pairs.count) \(kind) pairs right")
        }
        return configuration.maxSteps
    }

    /// The stage's examples: with the teacher's sparse rows when an objective needs them.
    private func trainingExamples(_ data: [ConversationExample]) throws -> [TrainingExample] {
        guard spec.needsTeacherDistributions else {
            return data.map { TrainingExample(prompt: $0.prompt, answer: $0.answer) }
        }
        guard let teacher else {
            throw DistillError("distill stage \(spec.name) uses \(spec.objectives.map(\.name).joined(separator: ", ")), which need the teacher's distributions; this teacher is an API. Use a local (white-box) teacher, or only `sft` for an API teacher")
        }
        let cache = (runDirectory as NSString).appendingPathComponent("distill/teacher-top\(spec.teacherTopK).rtdist")
        try FileManager.default.createDirectory(atPath: (cache as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var reported = 0
        return try TeacherTargets.examples(for: data, teacher: teacher, topK: spec.teacherTopK, cachePath: cache) { done, total in
            if done == total || done - reported >= 50 {
                reported = done
                log("\(spec.name): teacher distributions \(done)/\(total)")
            }
        }
    }

    /// The trainer's settings from the spec; `tokens` (all the data's tokens) turns `epochs` into
    /// steps, or `epochSteps` (the steps of one epoch) when given.
    private func trainerConfiguration(tokens: Int, epochSteps: Double? = nil) throws -> TrainerConfiguration {
        let perStep = Double(spec.batchRows * spec.sequenceLength * spec.accumulation) * 0.85  // packing leaves gaps
        let oneEpoch = epochSteps ?? Double(tokens) / perStep
        let steps = spec.steps ?? max(1, Int((spec.epochs ?? 1) * oneEpoch + 0.999))
        let peak = Float(spec.learningRate), floor = Float(spec.minimumLearningRate)
        let schedule: LearningRateSchedule = switch spec.schedule {
        case .constant: .constant(peak)
        case .linear: .linear(peak: peak, warmupSteps: spec.warmupSteps, totalSteps: steps, final: floor)
        case .cosine: .cosine(peak: peak, warmupSteps: spec.warmupSteps, totalSteps: steps, minimum: floor)
        }
        var c = TrainerConfiguration(objectives: spec.objectives, batchRows: spec.batchRows, sequenceLength: spec.sequenceLength,
                                     maxSteps: steps, learningRate: schedule)
        c.temperature = Float(spec.temperature)
        c.gradientAccumulationSteps = spec.accumulation
        c.adamW.weightDecay = Float(spec.weightDecay)
        c.clipNorm = Float(spec.clipNorm)
        c.spikeGuard = spec.spikeGuard
        c.featureLayers = spec.featureLayers
        c.matrixPrecision = spec.precision
        c.checkpointInterval = spec.checkpointEvery
        c.checkpointDirectory = checkpointDirectory
        c.seed = seed
        return c
    }

    /// Whether step `step` trains on the student's own samples: a coin with P(heads) = λ, seeded
    /// by the run and the step, so a resumed run makes the same choices.
    private func takesOnPolicyStep(_ step: Int, ratio: Double) -> Bool {
        var generator = SplitMix64(seed: seed ^ (UInt64(step) &* 0xD1B5_4A32_D192_ED03))
        return Double(generator.next() >> 11) / Double(1 << 53) < ratio
    }

    /// batchRows prompts of the data, answered by the student (sampled, seeded by step) and scored
    /// by the teacher token by token.
    private func onPolicyExamples(step: Int, data: [ConversationExample], settings: DistillStageSpec.OnPolicy) throws
        -> [TrainingExample] {
        guard let teacher else { throw DistillError("on-policy distillation needs a white-box teacher") }
        var generator = SplitMix64(seed: seed &+ 0x6F6E_706F &+ UInt64(step))
        var examples: [TrainingExample] = []
        let endOfTurn = ConversationExamples.endOfTurn(student)
        var budget = spec.sequenceLength * spec.batchRows
        for row in 0..<spec.batchRows {
            let prompt = data[Int(generator.next() % UInt64(data.count))].prompt
            let room = min(settings.maxTokens, spec.sequenceLength - prompt.count - 1)
            guard room >= 1, budget >= prompt.count + room + 1 else { continue }
            var sampling = SamplingParameters()
            sampling.temperature = Float(settings.temperature)
            sampling.seed = seed &+ UInt64(step) &* 1000 &+ UInt64(row)
            let answer = try student.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: room, sampling: sampling))[0]
            var tokens = answer.tokens
            if answer.finishReason == .stop, let endOfTurn, tokens.count < room + 1 { tokens.append(endOfTurn) }
            guard !tokens.isEmpty else { continue }
            let sample = ConversationExample(key: "on-policy", promptMessages: [], reference: answer.text, prompt: prompt, answer: tokens)
            let scores = try teacher.score(promptTokens: prompt, completionTokens: tokens, topK: spec.teacherTopK).distributions
            examples.append(try TeacherTargets.trainingExample(sample, scores: scores, vocab: teacher.model.config.vocabSize))
            budget -= prompt.count + tokens.count
        }
        guard !examples.isEmpty else { throw DistillError("\(spec.name): no prompt leaves room for an on-policy answer within sequence_length \(spec.sequenceLength)") }
        return examples
    }

    /// The share of pairs (over all ordered answer pairs of each preference) whose better answer the
    /// reward model scores higher.
    static func pairwiseAccuracy(_ reward: RewardModel, on preferences: [PreferenceExample]) throws -> Double {
        var right = 0, total = 0
        for preference in preferences {
            let scores = try reward.scores(preference.answers.map { preference.prompt + $0 })
            for a in scores.indices {
                for b in scores.indices where preference.ranks[a] < preference.ranks[b] {
                    total += 1
                    if scores[a] > scores[b] { right += 1 }
                }
            }
        }
        return total == 0 ? .nan : Double(right) / Double(total)
    }

    /// `settings.prompts` prompts of the data (seeded by step), `settings.samples` answers to each
    /// sampled by the student (seeded), each scored by the reward evaluator against the prompt's
    /// reference answer, or by the reward model. Answers to one prompt form a group.
    private func rolloutBatch(step: Int, data: [ConversationExample], settings: DistillStageSpec.Rollouts) throws -> [Rollout] {
        guard reward != nil || rewardModel != nil else { throw DistillError("\(spec.name): the reward \(settings.reward) was not loaded") }
        var generator = SplitMix64(seed: seed &+ 0x726C_6F75 &+ UInt64(step))
        let endOfTurn = ConversationExamples.endOfTurn(student)
        var rollouts: [Rollout] = []
        for group in 0..<settings.prompts {
            let example = data[Int(generator.next() % UInt64(data.count))]
            let room = min(settings.maxTokens, spec.sequenceLength - example.prompt.count - 1)
            guard room >= 1 else { continue }
            let promptText = example.promptMessages.last(where: { $0["role"]?.stringValue == "user" })?["content"]?.stringValue ?? ""
            for sample in 0..<settings.samples {
                var sampling = SamplingParameters()
                sampling.temperature = Float(settings.temperature)
                sampling.seed = seed &+ UInt64(step) &* 100_003 &+ UInt64(group * settings.samples + sample)
                let answer = try student.generate(promptTokens: example.prompt, options: GenerationOptions(maxTokens: room, sampling: sampling))[0]
                var tokens = answer.tokens
                if answer.finishReason == .stop, let endOfTurn, tokens.count < room + 1 { tokens.append(endOfTurn) }
                guard !tokens.isEmpty else { continue }
                let value: Double
                if let reward {
                    let scores = try reward.plugin.evaluate(reward.name, prompt: promptText, reference: example.reference, prediction: answer.text)
                    value = try Self.rewardValue(scores, settings: settings)
                } else {
                    value = Double(try rewardModel!.scores([example.prompt + tokens])[0])
                    guard value.isFinite else { throw DistillError("rollouts.reward: the reward model of \(settings.reward) scored an answer \(value)") }
                }
                rollouts.append(Rollout(prompt: example.prompt, answer: tokens, group: group, reward: Float(value)))
            }
        }
        guard !rollouts.isEmpty else {
            throw DistillError("\(spec.name): no prompt leaves room for an answer within sequence_length \(spec.sequenceLength)")
        }
        return rollouts
    }

    /// The evaluator's score that is the reward: its only one, or the named metric.
    static func rewardValue(_ scores: [String: Double], settings: DistillStageSpec.Rollouts) throws -> Double {
        let value: Double?
        if let metric = settings.metric {
            value = scores[metric]
        } else {
            value = scores.count == 1 ? scores.first!.value : nil
        }
        guard let value else {
            throw DistillError("rollouts.reward: \(settings.reward) returned \(scores.keys.sorted().joined(separator: ", ")); "
                               + (settings.metric.map { "it has no \"\($0)\"" } ?? "name the one to use as `metric`"))
        }
        guard value.isFinite else { throw DistillError("rollouts.reward: \(settings.reward) scored an answer \(value)") }
        return value
    }

    private func row(_ r: StepResult) -> TrainingStepRow {
        TrainingStepRow(stage: spec.name, step: r.step, loss: r.loss, objectives: r.objectiveLosses, learningRate: Double(r.learningRate),
                        gradientNorm: r.gradientNorm, tokens: r.tokens, skipped: r.skipped, skipReason: r.skipReason)
    }
}
