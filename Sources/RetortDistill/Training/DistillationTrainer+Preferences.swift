// Preference training: each step packs whole groups of ranked answers, reads every answer's summed
// log-probability off the logits, lets the sequence objectives (DPO, RRHF, PRO) weigh them against
// the reference policy's, and backpropagates dL/dlog π through the logits. A reward model instead
// scores every answer with its scalar head on the last token, and the Bradley–Terry loss's
// dL/dr flows back through the head into the final-normed hidden states.
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
                let partMeans: [Double]
                if let head = rewardHead {
                    let output = try model.forward(tokens: batch.tokens, B: batch.B, T: batch.T, positions: batch.positions,
                                                   segments: batch.segments, computeLogits: false)
                    let rows = SequenceLogProbabilities.lastPositions(batch)
                    let rewards = try head.scores(finalNormed: output.finalNormed, rows: rows)
                    let gradient: [Double]
                    (partMeans, gradient) = try evaluate(preferences: indices, values: rewards, lengths: answerLengths(indices))
                    try checkFinite(means: &means, partMeans: partMeans, scale: scale)
                    let dnormed = try head.backward(finalNormed: output.finalNormed, rows: rows, dscores: gradient.map { Float(scale * $0) })
                    try model.backward(dlogits: nil, dFinalNormed: dnormed)
                } else {
                    let output = try model.forward(tokens: batch.tokens, B: batch.B, T: batch.T,
                                                   positions: batch.positions, segments: batch.segments)
                    let logps = try SequenceLogProbabilities(logits: output.logits, batch: batch)
                    let gradient: [Double]
                    (partMeans, gradient) = try evaluate(preferences: indices, values: logps.logps.map { Float($0) }, lengths: logps.lengths)
                    try checkFinite(means: &means, partMeans: partMeans, scale: scale)
                    logps.writeGradient(into: output.logits, batch: batch, sequenceGradient: gradient, scale: scale)
                    try model.backward(dlogits: output.logits)
                }
            }
        } catch let error as ObjectiveError where error.isNonFinite {
            return GradientPass(result: result, skipReason: error.localizedDescription)
        } catch let error as NonFiniteSequenceLoss {
            return GradientPass(result: result, skipReason: "\(sequenceParts[error.part].name) loss is \(error.value)")
        }
        for (k, part) in sequenceParts.enumerated() {
            result.objectiveLosses[part.name] = means[k]
            result.loss += part.weight * means[k]
        }
        return GradientPass(result: result)
    }

    /// Adds a micro-batch's part means (× scale) into `means`; throws when one is not finite.
    private func checkFinite(means: inout [Double], partMeans: [Double], scale: Double) throws {
        for k in means.indices { means[k] += scale * partMeans[k] }
        if let bad = means.firstIndex(where: { !$0.isFinite }) { throw NonFiniteSequenceLoss(part: bad, value: means[bad]) }
    }

    /// The number of tokens of every answer of the given preferences, in packing order.
    private func answerLengths(_ indices: [Int]) -> [Int32] {
        indices.flatMap { preferences[$0].answers.map { Int32($0.count) } }
    }

    /// The objectives over one micro-batch: each part's mean loss, and dL/dvalue per packed answer
    /// (Σ_k w_k d mean_k / d value), where the values are the policy's log π (with the reference's
    /// beside them) or, for a reward model, its rewards.
    private func evaluate(preferences indices: [Int], values: [Float], lengths: [Int32]) throws -> ([Double], [Double]) {
        var reference: [Float] = [], groups: [Int32] = [], ranks: [Int32] = []
        for (group, index) in indices.enumerated() {
            let preference = preferences[index]
            for answer in preference.answers.indices {
                if let referenceLogps { reference.append(referenceLogps[index][answer]) }
                groups.append(Int32(group))
                ranks.append(preference.ranks[answer])
            }
        }
        guard values.count == ranks.count else {
            throw ObjectiveError.shapeMismatch(field: "packed answers", expected: ranks.count, actual: values.count)
        }
        let rewards = rewardHead == nil ? nil : values
        let policy = rewards == nil ? values : [Float](repeating: 0, count: values.count)
        var total = [Double](repeating: 0, count: ranks.count)
        var scratch = [Float](repeating: 0, count: ranks.count)
        var means: [Double] = []
        for part in sequenceParts {
            let mean = try policy.withUnsafeBufferPointer { p in
                try reference.withUnsafeBufferPointer { r in
                    try groups.withUnsafeBufferPointer { g in
                        try ranks.withUnsafeBufferPointer { k in
                            try lengths.withUnsafeBufferPointer { l in
                                try scratch.withUnsafeMutableBufferPointer { out in
                                    try rewards.withUnsafeOptionalBufferPointer { w in
                                        try part.objective.evaluateMean(
                                            SequenceBatch(logps: p, count: p.count, referenceLogps: rewards == nil ? r : nil, rewards: w,
                                                          groupIds: g, ranks: k, lengths: l),
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

/// A part's running mean loss came out NaN or infinite: the step is skipped.
private struct NonFiniteSequenceLoss: Error {
    var part: Int
    var value: Double
}

extension Optional where Wrapped == [Float] {
    /// The array's buffer, or nil, for the duration of `body`.
    func withUnsafeOptionalBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>?) throws -> R) rethrows -> R {
        switch self {
        case .some(let array): try array.withUnsafeBufferPointer { try body($0) }
        case .none: try body(nil)
        }
    }
}
