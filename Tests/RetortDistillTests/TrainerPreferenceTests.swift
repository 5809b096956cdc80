// Preference training: answers' summed log-probabilities read off packed logits (reference values
// and a finite-difference check of the chain rule), DPO's first step at log 2, training that moves
// the margin toward the chosen answers, bit-for-bit resume, and the errors of bad preferences.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerPreferenceTests {
    static let vocab = 8

    /// Prompts of two or three tokens; the chosen answer counts up, the rejected one counts down.
    static func preferences(count: Int = 6) -> [PreferenceExample] {
        (0..<count).map { i in
            let prompt: [Int32] = i % 2 == 0 ? [1, Int32(2 + i % 5)] : [1, Int32(2 + i % 5), 2]
            return PreferenceExample(prompt: prompt, chosen: [3, 4, 5, 6], rejected: [6, 5, 4, 3])
        }
    }

    static func trainer(objectives: [ObjectiveRegistry.MixturePart], seed: UInt64 = 1, maxSteps: Int, checkpoints: String? = nil,
                        preferences: [PreferenceExample] = preferences(), batchRows: Int = 2) throws -> DistillationTrainer {
        var configuration = TrainerConfiguration(objectives: objectives, batchRows: batchRows, sequenceLength: 16, maxSteps: maxSteps,
                                                 learningRate: .constant(1e-2))
        configuration.seed = 5
        configuration.spikeGuard = nil
        configuration.checkpointDirectory = checkpoints
        configuration.checkpointInterval = checkpoints == nil ? nil : 3
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 2, vocab: vocab), seed: seed)
        return try DistillationTrainer(model: model, preferences: preferences, configuration: configuration)
    }

    static func packed() throws -> (PackedBatch, Tensor) {
        let examples = [TrainingExample(prompt: [1, 2], answer: [3, 4, 5]), TrainingExample(prompt: [1], answer: [6, 7]),
                        TrainingExample(prompt: [2, 2], answer: [1])]
        let batch = try PackedBatch(examples: examples, B: 2, T: 6, vocab: vocab)
        var generator = SplitMix64(seed: 3)
        let values = (0..<(12 * vocab)).map { _ in Float(Double(generator.next() % 2000) / 500 - 2) }
        return (batch, try Tensor(shape: [12, vocab], values: values))
    }

    @Test func answerLogProbabilitiesAreTheSumsOfTheirTokensLogSoftmax() throws {
        let (batch, logits) = try Self.packed()
        let result = try SequenceLogProbabilities(logits: logits, batch: batch)
        #expect(result.count == 3)
        #expect(result.lengths == [3, 2, 1])
        // Row 0 holds example 0 at positions 0..<5 (its answer predicted from rows 1…3), row 1 example 1
        // at 6..<9 (rows 6, 7) and example 2 at 9..<12 (row 10); row t predicts token t + 1.
        let values = logits.toArray().map(Double.init)
        func logp(row: Int, token: Int) -> Double { logSoftmax(Array(values[(row * Self.vocab)..<((row + 1) * Self.vocab)]))[token] }
        let expected = [logp(row: 1, token: 3) + logp(row: 2, token: 4) + logp(row: 3, token: 5),
                        logp(row: 6, token: 6) + logp(row: 7, token: 7),
                        logp(row: 10, token: 1)]
        for k in 0..<3 { #expect(abs(result.logps[k] - expected[k]) < 1e-9) }
    }

    @Test func theGradientThroughAnswerLogProbabilitiesMatchesFiniteDifferences() throws {
        let (batch, logits) = try Self.packed()
        let weights = [0.7, -1.3, 0.4]  // L = Σ_k w_k log π(y_k)
        func loss(_ tensor: Tensor) throws -> Double {
            let r = try SequenceLogProbabilities(logits: tensor, batch: batch)
            return zip(weights, r.logps).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let analytic = try Tensor(shape: [12, Self.vocab], values: logits.toArray())
        try SequenceLogProbabilities(logits: analytic, batch: batch).writeGradient(into: analytic, batch: batch, sequenceGradient: weights, scale: 1)
        let gradient = analytic.toArray()
        var worst = 0.0
        for index in 0..<logits.count {
            var values = logits.toArray()
            let h: Float = 1e-2
            values[index] += h
            let plus = try loss(try Tensor(shape: [12, Self.vocab], values: values))
            values[index] -= 2 * h
            let minus = try loss(try Tensor(shape: [12, Self.vocab], values: values))
            let numeric = (plus - minus) / Double(2 * h)
            worst = max(worst, abs(numeric - Double(gradient[index])) / max(1, abs(numeric)))
        }
        #expect(worst < 1e-3)
        // Rows that train nothing (prompts, the last token of each answer, padding) get no gradient.
        for row in [0, 4, 5, 8, 9, 11] { #expect(gradient[(row * Self.vocab)..<((row + 1) * Self.vocab)].allSatisfy { $0 == 0 }) }
    }

    @Test func dpoStartsAtLogTwoAndMovesTheMarginTowardTheChosenAnswers() throws {
        let trainer = try Self.trainer(objectives: [.init(name: "dpo", weight: 1, parameters: ["beta": 1])], maxSteps: 30)
        let results = try trainer.run()
        // The reference is the policy at the first step: every margin is 0.
        #expect(abs(results[0].loss - log(2)) < 1e-6)
        #expect(results[0].objectiveLosses["dpo"] == results[0].loss)
        #expect(results.allSatisfy { !$0.skipped })
        #expect(results.suffix(5).map(\.loss).reduce(0, +) / 5 < 0.3)
        let reference = try #require(trainer.referenceLogps)
        let policy = try trainer.computeReferenceLogps()  // the same computation with the trained weights
        for (r, p) in zip(reference, policy) { #expect((p[0] - r[0]) - (p[1] - r[1]) > 0.5) }
    }

    @Test func rankingObjectivesMakeTheChosenAnswerMoreLikely() throws {
        let trainer = try Self.trainer(objectives: [.init(name: "rrhf", weight: 1), .init(name: "pro", weight: 0.5)], maxSteps: 25)
        let results = try trainer.run()
        #expect(Set(results[0].objectiveLosses.keys) == ["rrhf", "pro"])
        #expect(results.last!.loss < results[0].loss)
        let policy = try trainer.computeReferenceLogps()
        for p in policy { #expect(p[0] > p[1]) }
    }

    @Test func resumedPreferenceRunReproducesTheUninterruptedLossesBitForBit() throws {
        let directory = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dpo: [ObjectiveRegistry.MixturePart] = [.init(name: "dpo", weight: 1)]
        let uninterrupted = try Self.trainer(objectives: dpo, maxSteps: 8).run()
        _ = try Self.trainer(objectives: dpo, maxSteps: 4, checkpoints: directory).run()  // saves at step 3
        // Other initial weights: the reference must come from the checkpoint, not from this model.
        let resumed = try Self.trainer(objectives: dpo, seed: 77, maxSteps: 8)
        try resumed.resume(from: directory)
        #expect(resumed.completedSteps == 3)
        let rest = try resumed.run()
        #expect(rest.map(\.loss) == uninterrupted.suffix(5).map(\.loss))
        #expect(rest.map(\.gradientNorm) == uninterrupted.suffix(5).map(\.gradientNorm))
        // The same number of pairs with other tokens: the saved references belong to other data.
        let other = Self.preferences().map { PreferenceExample(prompt: $0.prompt + [7], chosen: [3, 4, 5, 6], rejected: [6, 5, 4, 3]) }
        let mismatched = try Self.trainer(objectives: dpo, maxSteps: 8, preferences: other)
        #expect(throws: TrainerError.self) { try mismatched.resume(from: directory) }
        #expect(mismatched.completedSteps == 0)
    }

    @Test func badPreferencesAndObjectivesAreRefusedWithTheReason() throws {
        let dpo: [ObjectiveRegistry.MixturePart] = [.init(name: "dpo", weight: 1)]
        #expect(throws: TrainerError.invalidPreference(index: 0, reason: "has 1 answer(s); a preference needs at least two")) {
            try Self.trainer(objectives: dpo, maxSteps: 1, preferences: [PreferenceExample(prompt: [1], answers: [[2]], ranks: [0])])
        }
        #expect(throws: TrainerError.self) {
            try Self.trainer(objectives: dpo, maxSteps: 1, preferences: [PreferenceExample(prompt: [], chosen: [2], rejected: [3])])
        }
        #expect(throws: TrainerError.invalidPreference(index: 0, reason: "ranks all its answers equally; nothing is preferred")) {
            try Self.trainer(objectives: dpo, maxSteps: 1, preferences: [PreferenceExample(prompt: [1], answers: [[2], [3]], ranks: [1, 1])])
        }
        #expect(throws: TrainerError.exampleLengthMismatch(index: 0, field: "ranks", expected: 2, actual: 3)) {
            try Self.trainer(objectives: dpo, maxSteps: 1, preferences: [PreferenceExample(prompt: [1], answers: [[2], [3]], ranks: [0, 1, 2])])
        }
        #expect(throws: TrainerError.tokenOutOfRange(index: 0, position: 1, id: 99, vocab: Self.vocab)) {
            try Self.trainer(objectives: dpo, maxSteps: 1, preferences: [PreferenceExample(prompt: [1], chosen: [99], rejected: [3])])
        }
        // Two answers of 9 tokens need two rows of 16.
        let long = PreferenceExample(prompt: [1, 2, 3, 4, 5], chosen: [1, 2, 3, 4], rejected: [4, 3, 2, 1])
        #expect(throws: TrainerError.self) { try Self.trainer(objectives: dpo, maxSteps: 1, preferences: [long], batchRows: 1) }
        #expect(throws: TrainerError.self) { try Self.trainer(objectives: [.init(name: "bradley-terry", weight: 1)], maxSteps: 1) }
        #expect(throws: ObjectiveError.self) { try Self.trainer(objectives: [.init(name: "sft", weight: 1)], maxSteps: 1) }
    }
}
