// The divergence guard: a loss far above the recent median is reported and not applied, the
// learning rate drops after it, a real change of level is followed, dataset and provided
// (on-policy) steps are judged apart, and a resumed trainer carries the guard's state on.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

/// The loss level a `ScriptedLossObjective` reports; the test changes it between steps.
final class ScriptedLossLevel: @unchecked Sendable {
    private let lock = NSLock()
    private var level = 1.0
    var value: Double {
        get { lock.withLock { level } }
        set { lock.withLock { level = newValue } }
    }
}

/// Loss `level` at every trained position and a zero gradient: the step's loss is what the test says.
struct ScriptedLossObjective: TokenObjective {
    let name = "scripted-loss"
    let level: ScriptedLossLevel

    func evaluate(_ batch: TokenBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        gradient.update(repeating: 0)
        var weight = 0.0
        for row in rows { weight += Double(batch.lossMask[row]) }
        return ObjectiveValue(lossSum: level.value * weight, weightSum: weight)
    }
}

@Suite struct LossSpikeGuardTests {
    @Test func aLossFarAboveTheMedianIsASpikeAndLowersTheRate() {
        let guardrail = LossSpikeGuard()
        var state = LossSpikeGuard.State()
        for loss in [2.0, 1.9, 2.1, 1.8, 2.0] { #expect(guardrail.check(loss: loss, kind: "data", state: &state) == nil) }
        // Five losses are below the history needed: even a huge one is not judged yet.
        #expect(guardrail.check(loss: 50, kind: "data", state: &state) == nil)
        #expect(guardrail.check(loss: 2.0, kind: "data", state: &state) == nil)
        let reason = guardrail.check(loss: 9, kind: "data", state: &state)
        #expect(reason?.contains("median 2") == true, "\(reason ?? "no spike")")
        #expect(state.learningRateScale == 0.5)
        // 5.5 is below 3 × 2 = 6: not a spike.
        #expect(guardrail.check(loss: 5.5, kind: "data", state: &state) == nil)
        #expect(state.learningRateScale == 0.5)
    }

    @Test func smallLossesNeedAnAbsoluteJumpAndTheRateHasAFloor() {
        var guardrail = LossSpikeGuard()
        var state = LossSpikeGuard.State()
        for _ in 0..<8 { _ = guardrail.check(loss: 0.01, kind: "data", state: &state) }
        // 0.2 is 20× the median but only 0.19 above it: noise on a tiny loss.
        #expect(guardrail.check(loss: 0.2, kind: "data", state: &state) == nil)
        guardrail.minimumExcess = 0
        guardrail.window = 1000
        for _ in 0..<8 { #expect(guardrail.check(loss: 0.5, kind: "data", state: &state) != nil) }
        #expect(state.learningRateScale == guardrail.minimumScale)
    }

    @Test func aLastingChangeOfLevelIsFollowedWithinHalfAWindow() {
        let guardrail = LossSpikeGuard(factor: 3, window: 10, backoff: 0.5)
        var state = LossSpikeGuard.State()
        for _ in 0..<10 { _ = guardrail.check(loss: 1, kind: "data", state: &state) }
        var spikes = 0
        for _ in 0..<10 where guardrail.check(loss: 10, kind: "data", state: &state) != nil { spikes += 1 }
        #expect(spikes == 5)
    }

    @Test func datasetAndProvidedStepsHaveTheirOwnHistory() {
        let guardrail = LossSpikeGuard()
        var state = LossSpikeGuard.State()
        for _ in 0..<8 { _ = guardrail.check(loss: 0.3, kind: "provided", state: &state) }
        for _ in 0..<8 { #expect(guardrail.check(loss: 3, kind: "data", state: &state) == nil) }
        #expect(guardrail.check(loss: 3, kind: "provided", state: &state) != nil)
    }

    static func trainer(level: ScriptedLossLevel, steps: Int, checkpoints: String? = nil) throws -> DistillationTrainer {
        var registry = ObjectiveRegistry.builtIn
        registry.register(ObjectiveDescriptor(name: "scripted-loss", level: .token, summary: "test") { _ in .token(ScriptedLossObjective(level: level)) })
        var configuration = TrainerConfiguration(objectives: [.init(name: "scripted-loss", weight: 1)], batchRows: 2, sequenceLength: 6,
                                                 maxSteps: steps, learningRate: .constant(1e-2))
        configuration.checkpointDirectory = checkpoints
        configuration.checkpointInterval = checkpoints == nil ? nil : 1
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 1, vocab: 8), seed: 61)
        return try DistillationTrainer(model: model, examples: TrainerFixtures.copyExamples(count: 8, vocab: 8, seed: 62),
                                       configuration: configuration, registry: registry)
    }

    @Test func theTrainerSkipsASpikeHalvesTheRateAndAResumedTrainerKeepsBoth() throws {
        let directory = try TrainerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let level = ScriptedLossLevel()
        let trainer = try Self.trainer(level: level, steps: 9, checkpoints: directory)
        for _ in 0..<6 { #expect(try trainer.step().skipped == false) }
        level.value = 8
        let weights = TrainerFixtures.weights(trainer.model)
        let spike = try trainer.step()
        #expect(spike.skipped)
        #expect(spike.skipReason?.contains("spike") == true, "\(spike.skipReason ?? "not skipped")")
        #expect(TrainerFixtures.weights(trainer.model) == weights)
        #expect(trainer.optimizer.stepCount == 6)
        level.value = 1
        #expect(try trainer.step().learningRate == 5e-3)

        let resumed = try Self.trainer(level: level, steps: 9)
        try resumed.resume(from: directory)
        #expect(resumed.completedSteps == 8)
        #expect(resumed.spikeState == trainer.spikeState)
        #expect(try resumed.step().learningRate == 5e-3)
        // A provided (on-policy) batch at the spiking level is judged on its own, empty history.
        level.value = 8
        let provided = try resumed.step(providing: [Array(TrainerFixtures.copyExamples(count: 2, vocab: 8, seed: 63))])
        #expect(provided.skipped == false)
    }

    @Test func aGuardOfNoSettingIsRefused() throws {
        var configuration = TrainerConfiguration(objectives: [.init(name: "sft", weight: 1)], batchRows: 2, sequenceLength: 6, maxSteps: 1,
                                                 learningRate: .constant(1e-2))
        configuration.spikeGuard = LossSpikeGuard(factor: 0.5, window: 16, backoff: 0.5)
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 16, layers: 1, vocab: 8), seed: 64)
        #expect(throws: TrainerError.self) {
            try DistillationTrainer(model: model, examples: TrainerFixtures.copyExamples(count: 2, vocab: 8, seed: 65), configuration: configuration)
        }
    }
}
