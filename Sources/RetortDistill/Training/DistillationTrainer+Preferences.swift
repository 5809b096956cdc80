// Preference training: each step packs whole groups of ranked answers, reads every answer's summed
// log-probability off the logits, lets the sequence objectives (DPO, RRHF, PRO) weigh them against
// the reference policy's, and backpropagates dL/dlog π through the logits.
import Foundation
import RetortModels
import RetortTensor

/// One weighted part of a preference stage's objective.
struct WeightedSequenceObjective: Sendable {
    var name: String
    var weight: Double
    var objective: any SequenceObjective
}

extension DistillationTrainer {
    /// Forward and backward over the next `gradientAccumulationSteps` micro-batches of preferences.
    /// The loss is the mean of the micro-batches' losses, each the mixture of its objectives' means.
    func preferenceGradients(learningRate: Float) throws -> GradientPass {
        let c = configuration
        let groupLengths = preferences.map(\.sequenceLengths)
        var microBatches: [[Int]] = []
        for _ in 0..<c.gradientAccumulationSteps {
            microBatches.append(dataOrder.nextMicroBatch(groupLengths: groupLengths, B: c.batchRows, T: c.sequenceLength))
        }
        completedSteps += 1
        var result = StepResult(step: completedSteps, loss: 0, objectiveLosses: [:], learningRate: learningRate, gradientNorm: .nan,
                                tokens: 0, trainedPositions: 0, skipped: false)
        optimizer.zeroGradients()
        var means = [Double](repeating: 0, count: sequenceParts.count)
        let scale = 1 / Double(microBatches.count)
        do {
            for indices in microBatches {
                let batch = try packedBatch(preferences: indices)
                result.tokens += batch.realTokenCount
                result.trainedPositions += batch.lossWeight
                let output = try model.forward(tokens: batch.tokens, B: batch.B, T: batch.T,
                                               positions: batch.positions, segments: batch.segments)
                let logps = try SequenceLogProbabilities(logits: output.logits, batch: batch)
                let (partMeans, gradient) = try evaluate(preferences: indices, logps: logps)
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

    /// The objectives over one micro-batch: each part's mean loss, and dL/dlog π per packed answer
    /// (Σ_k w_k d mean_k / d log π).
    private func evaluate(preferences indices: [Int], logps: SequenceLogProbabilities) throws -> ([Double], [Double]) {
        var reference: [Float] = [], groups: [Int32] = [], ranks: [Int32] = []
        for (group, index) in indices.enumerated() {
            let preference = preferences[index]
            for answer in preference.answers.indices {
                reference.append(referenceLogps![index][answer])
                groups.append(Int32(group))
                ranks.append(preference.ranks[answer])
            }
        }
        guard logps.count == ranks.count else {
            throw ObjectiveError.shapeMismatch(field: "packed answers", expected: ranks.count, actual: logps.count)
        }
        let policy = logps.logps.map { Float($0) }
        var total = [Double](repeating: 0, count: ranks.count)
        var scratch = [Float](repeating: 0, count: ranks.count)
        var means: [Double] = []
        for part in sequenceParts {
            let mean = try policy.withUnsafeBufferPointer { p in
                try reference.withUnsafeBufferPointer { r in
                    try groups.withUnsafeBufferPointer { g in
                        try ranks.withUnsafeBufferPointer { k in
                            try logps.lengths.withUnsafeBufferPointer { l in
                                try scratch.withUnsafeMutableBufferPointer { out in
                                    try part.objective.evaluateMean(
                                        SequenceBatch(logps: p, count: p.count, referenceLogps: r, groupIds: g, ranks: k, lengths: l),
                                        gradient: out)
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

    /// The answers of the given preferences packed in order, each answer its own sequence.
    private func packedBatch(preferences indices: [Int]) throws -> PackedBatch {
        try PackedBatch(examples: indices.flatMap { preferences[$0].sequences }, B: configuration.batchRows,
                        T: configuration.sequenceLength, vocab: model.config.vocabSize)
    }

    /// log π_ref(answer) for every answer, with the current weights and dropout off, in micro-batches
    /// of preferences taken in order.
    func computeReferenceLogps() throws -> [[Float]] {
        let wasTraining = model.isTraining
        model.isTraining = false
        defer { model.isTraining = wasTraining }
        var result: [[Float]] = []
        var pending: [Int] = []
        var row = 0, fill = 0
        func flush() throws {
            guard !pending.isEmpty else { return }
            let batch = try packedBatch(preferences: pending)
            let output = try model.forward(tokens: batch.tokens, B: batch.B, T: batch.T, positions: batch.positions, segments: batch.segments)
            var logps = try SequenceLogProbabilities(logits: output.logits, batch: batch).logps[...]
            for index in pending {
                let count = preferences[index].answers.count
                result.append(logps.prefix(count).map { Float($0) })
                logps = logps.dropFirst(count)
            }
            pending = []
            (row, fill) = (0, 0)
        }
        for (index, preference) in preferences.enumerated() {
            for attempt in 0..<2 {
                var probeRow = row, probeFill = fill
                for length in preference.sequenceLengths {
                    if probeFill + length > configuration.sequenceLength { probeRow += 1; probeFill = 0 }
                    probeFill += length
                }
                if probeRow < configuration.batchRows {
                    (row, fill) = (probeRow, probeFill)
                    pending.append(index)
                    break
                }
                // validate() checked that every preference fits an empty batch.
                guard attempt == 0 else {
                    throw TrainerError.invalidSetting(name: "batch rows", value: "\(configuration.batchRows)",
                                                      allowed: "enough to hold preference \(index)'s answers together")
                }
                try flush()
            }
        }
        try flush()
        return result
    }
}
