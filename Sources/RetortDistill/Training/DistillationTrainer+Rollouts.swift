// Policy-gradient training on the student's own samples: each step takes rollouts (answers sampled
// by the caller and scored by a reward model, a verifier or a plugin evaluator), packs whole groups
// of answers to one prompt into micro-batches so each group's mean reward is its baseline, reads
// log π of every answer off the logits and log π_ref off a frozen reference model, and
// backpropagates the sequence objectives' dL/dlog π through the logits. Groups are ordered by
// reward too, so ranking objectives (RRHF, PRO) can train on scored samples as well.
import Foundation
import RetortModels
import RetortTensor

extension DistillationTrainer {
    /// One optimizer step on `rollouts` (all of them, in micro-batches of whole groups). Saves a
    /// checkpoint when the interval is reached.
    public func step(rollouts: [Rollout]) throws -> StepResult {
        guard !sequenceParts.isEmpty, preferences.isEmpty, rewardHead == nil else {
            throw TrainerError.invalidSetting(name: "rollouts", value: "given to a trainer of examples or preferences",
                                              allowed: "given to a trainer made with init(policy:reference:configuration:)")
        }
        guard !rollouts.isEmpty else { throw TrainerError.noExamples }
        for (index, rollout) in rollouts.enumerated() {
            try rollout.validate(index: index, vocab: model.config.vocabSize, T: configuration.sequenceLength)
        }
        let microBatches = try rolloutMicroBatches(rollouts)
        // No spike guard: a policy-gradient loss centers on zero (the advantages of a group sum to
        // zero), so "far above the recent level" means nothing for it. NaN and Inf still skip.
        let result = try finishStep(learningRate: currentLearningRate, kind: nil) { learningRate in
            try rolloutGradients(rollouts, microBatches: microBatches, learningRate: learningRate)
        }
        if let directory = configuration.checkpointDirectory, let interval = configuration.checkpointInterval,
           completedSteps % interval == 0 {
            try saveCheckpoint(to: directory)
        }
        return result
    }

    /// Whole groups, in order of first appearance, packed greedily into batchRows × sequenceLength.
    private func rolloutMicroBatches(_ rollouts: [Rollout]) throws -> [[Int]] {
        var groups: [[Int]] = []
        var slot: [Int: Int] = [:]
        for (index, rollout) in rollouts.enumerated() {
            if let existing = slot[rollout.group] { groups[existing].append(index) } else {
                slot[rollout.group] = groups.count
                groups.append([index])
            }
        }
        let T = configuration.sequenceLength
        func rowsNeeded(_ indices: [Int]) -> Int {
            var rows = 1, fill = 0
            for index in indices {
                let length = rollouts[index].prompt.count + rollouts[index].answer.count
                if fill + length > T { rows += 1; fill = 0 }
                fill += length
            }
            return rows
        }
        var batches: [[Int]] = [], current: [Int] = []
        for group in groups {
            guard rowsNeeded(group) <= configuration.batchRows else {
                throw TrainerError.invalidSetting(
                    name: "batch rows", value: "\(configuration.batchRows)",
                    allowed: "enough to hold group \(rollouts[group[0]].group)'s \(group.count) answers together (\(rowsNeeded(group)) rows)")
            }
            if !current.isEmpty && rowsNeeded(current + group) > configuration.batchRows {
                batches.append(current)
                current = []
            }
            current += group
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Forward and backward over every micro-batch; the loss is the mean over all rollouts of the
    /// mixture (each micro-batch's means weighted by its share of the rollouts).
    private func rolloutGradients(_ rollouts: [Rollout], microBatches: [[Int]], learningRate: Float) throws -> GradientPass {
        completedSteps += 1
        var result = StepResult(step: completedSteps, loss: 0, objectiveLosses: [:], learningRate: learningRate, gradientNorm: .nan,
                                tokens: 0, trainedPositions: 0, skipped: false)
        optimizer.zeroGradients()
        var means = [Double](repeating: 0, count: sequenceParts.count)
        do {
            for indices in microBatches {
                let batch = try PackedBatch(examples: indices.map { rollouts[$0].sequence }, B: configuration.batchRows,
                                            T: configuration.sequenceLength, vocab: model.config.vocabSize)
                result.tokens += batch.realTokenCount
                result.trainedPositions += batch.lossWeight
                let reference = try referenceModel.map { try Self.answerLogps(of: $0, batch: batch) }
                let output = try model.forward(tokens: batch.tokens, B: batch.B, T: batch.T,
                                               positions: batch.positions, segments: batch.segments)
                let logps = try SequenceLogProbabilities(logits: output.logits, batch: batch)
                let scale = Double(indices.count) / Double(rollouts.count)
                let (partMeans, gradient) = try evaluate(rollouts: indices.map { rollouts[$0] }, logps: logps, reference: reference)
                for k in means.indices { means[k] += scale * partMeans[k] }
                if let bad = means.firstIndex(where: { !$0.isFinite }) {
                    return GradientPass(result: result, skipReason: "\(sequenceParts[bad].name) loss is \(means[bad])")
                }
                logps.writeGradient(into: output.logits, batch: batch, sequenceGradient: gradient, scale: scale)
                try model.backward(dlogits: output.logits)
            }
        } catch let error as ObjectiveError where error.isNonFinite {
            return GradientPass(result: result, skipReason: error.localizedDescription)
        }
        for (k, part) in sequenceParts.enumerated() {
            result.objectiveLosses[part.name] = means[k]
            result.loss += part.weight * means[k]
        }
        return GradientPass(result: result)
    }

    /// Each part's mean over the micro-batch's rollouts, and Σ_k w_k d mean_k / d log π per rollout.
    private func evaluate(rollouts: [Rollout], logps: SequenceLogProbabilities, reference: [Float]?) throws -> ([Double], [Double]) {
        guard logps.count == rollouts.count else {
            throw ObjectiveError.shapeMismatch(field: "packed rollouts", expected: rollouts.count, actual: logps.count)
        }
        let policy = logps.logps.map { Float($0) }
        let rewards = rollouts.map(\.reward)
        let groups = rollouts.map { Int32(truncatingIfNeeded: $0.group) }
        let old: [Float]? = rollouts.allSatisfy { $0.samplingLogp != nil } ? rollouts.map { $0.samplingLogp! } : nil
        var total = [Double](repeating: 0, count: rollouts.count)
        var scratch = [Float](repeating: 0, count: rollouts.count)
        var means: [Double] = []
        for part in sequenceParts {
            let mean = try policy.withUnsafeBufferPointer { p in
                try rewards.withUnsafeBufferPointer { w in
                    try groups.withUnsafeBufferPointer { g in
                        try logps.lengths.withUnsafeBufferPointer { l in
                            try reference.withUnsafeOptionalBufferPointer { r in
                                try old.withUnsafeOptionalBufferPointer { o in
                                    try scratch.withUnsafeMutableBufferPointer { out in
                                        try part.objective.evaluateMean(
                                            SequenceBatch(logps: p, count: p.count, referenceLogps: r, rewards: w, groupIds: g,
                                                          lengths: l, oldLogps: o),
                                            gradient: out)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            means.append(mean)
            for i in total.indices { total[i] += part.weight * Double(scratch[i]) }
        }
        return (means, total)
    }

    /// log π(answer) of every packed sequence under `model`, with dropout off.
    static func answerLogps(of model: LlamaModel, batch: PackedBatch) throws -> [Float] {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        let output = try model.forward(tokens: batch.tokens, B: batch.B, T: batch.T, positions: batch.positions, segments: batch.segments)
        return try SequenceLogProbabilities(logits: output.logits, batch: batch).logps.map { Float($0) }
    }

    /// log π(answer) of every rollout under the policy as it is now (dropout off), e.g. to record
    /// the sampling policy's log-probabilities for PPO before several steps on the same samples.
    public func policyLogps(_ rollouts: [Rollout]) throws -> [Float] {
        var result = [Float](repeating: 0, count: rollouts.count)
        for indices in try rolloutMicroBatches(rollouts) {
            let batch = try PackedBatch(examples: indices.map { rollouts[$0].sequence }, B: configuration.batchRows,
                                        T: configuration.sequenceLength, vocab: model.config.vocabSize)
            for (index, value) in zip(indices, try Self.answerLogps(of: model, batch: batch)) { result[index] = value }
        }
        return result
    }
}
