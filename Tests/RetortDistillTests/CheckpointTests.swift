// Checkpoints: resuming from a saved step reproduces the uninterrupted loss curve bit for bit,
// and a corrupt or mismatched checkpoint is refused with a message naming what differs.
import Foundation
import RetortDistill
import RetortJSON
import RetortTensor
import Testing

/// A small training run: linear regression y = w·x + b on samples drawn from a seeded
/// generator, AdamW with a cosine schedule. Each step draws fresh data, so resuming must restore
/// the generator as well as the weights and the optimizer.
final class RegressionRun {
    let weight: Tensor
    let bias: Tensor
    let parameters: [TrainableParameter]
    let optimizer: AdamW
    var generator: SplitMix64
    var step = 0
    let schedule = LearningRateSchedule.cosine(peak: 0.3, warmupSteps: 3, totalSteps: 20, minimum: 0.001)

    init(seed: UInt64) throws {
        var init_ = SplitMix64(seed: seed)
        weight = Tensor.normal(shape: [3, 4], std: 0.5, generator: &init_)
        bias = Tensor(shape: [3])
        parameters = [
            try TrainableParameter(name: "w", value: weight, gradient: Tensor(shape: [3, 4])),
            try TrainableParameter(name: "b", value: bias, gradient: Tensor(shape: [3]), weightDecay: false),
        ]
        optimizer = AdamW(parameters: parameters)
        generator = SplitMix64(seed: seed &+ 1)
    }

    /// One step; returns the loss before the update.
    func trainStep() throws -> Float {
        optimizer.zeroGradients()
        let n = 8
        var loss: Float = 0
        let w = weight.toArray(), b = bias.toArray()
        var dw = [Float](repeating: 0, count: 12), db = [Float](repeating: 0, count: 3)
        for _ in 0..<n {
            let x = (0..<4).map { _ in generator.nextGaussian() }
            for o in 0..<3 {
                let target = Float(o + 1) * x[0] - x[3] + 0.5
                var y = b[o]
                for i in 0..<4 { y += w[o * 4 + i] * x[i] }
                let diff = y - target
                loss += diff * diff / Float(n)
                db[o] += 2 * diff / Float(n)
                for i in 0..<4 { dw[o * 4 + i] += 2 * diff * x[i] / Float(n) }
            }
        }
        try parameters[0].gradient.load(dw)
        try parameters[1].gradient.load(db)
        optimizer.step(learningRate: Float(schedule.learningRate(atStep: step)))
        step += 1
        return loss
    }

    func save(to directory: String) throws {
        try CheckpointStore.save(directory: directory, step: step, parameters: parameters, optimizer: optimizer,
                                 optimizerKind: "adamw", randomStates: ["data": generator.state],
                                 extra: ["note": "regression"])
    }

    func resume(from directory: String) throws {
        let path = try #require(try CheckpointStore.latest(in: directory))
        let restored = try CheckpointStore.restore(from: path, into: parameters, optimizer: optimizer, optimizerKind: "adamw")
        step = restored.step
        generator = SplitMix64(seed: try #require(restored.randomStates["data"]))
        #expect(restored.extra["note"] == "regression")
    }
}

func temporaryCheckpointDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "retort-ckpt-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct CheckpointTests {
    @Test func resumingReproducesTheUninterruptedLossCurveBitForBit() throws {
        let uninterrupted = try RegressionRun(seed: 7)
        let curve = try (0..<20).map { _ in try uninterrupted.trainStep() }
        #expect(curve.last! < curve.first! / 4, "the run learns")

        let directory = try temporaryCheckpointDirectory()
        let first = try RegressionRun(seed: 7)
        var resumedCurve = try (0..<10).map { _ in try first.trainStep() }
        try first.save(to: directory)
        // A fresh process would start from another initialization; the checkpoint must override it.
        let second = try RegressionRun(seed: 999)
        try second.resume(from: directory)
        resumedCurve += try (0..<10).map { _ in try second.trainStep() }
        #expect(resumedCurve.map(\.bitPattern) == curve.map(\.bitPattern))
        #expect(second.weight.toArray() == uninterrupted.weight.toArray())
    }

    @Test func latestPointsAtTheNewestCheckpoint() throws {
        let directory = try temporaryCheckpointDirectory()
        #expect(try CheckpointStore.latest(in: directory) == nil)
        let run = try RegressionRun(seed: 1)
        _ = try run.trainStep()
        try run.save(to: directory)
        _ = try run.trainStep()
        try run.save(to: directory)
        #expect(try CheckpointStore.latest(in: directory)?.hasSuffix("step-00000002") == true)
        let entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(entries == ["latest", "step-00000001", "step-00000002"], "no staging folders are left behind")
    }

    @Test func shapeMismatchNamesTheParameter() throws {
        let directory = try temporaryCheckpointDirectory()
        try RegressionRun(seed: 1).save(to: directory)
        let other = [try TrainableParameter(name: "w", value: Tensor(shape: [4, 4]), gradient: Tensor(shape: [4, 4])),
                     try TrainableParameter(name: "b", value: Tensor(shape: [3]), gradient: Tensor(shape: [3]))]
        let path = try #require(try CheckpointStore.latest(in: directory))
        #expect(throws: CheckpointError.shapeMismatch(parameter: "w", checkpoint: [3, 4], model: [4, 4])) {
            try CheckpointStore.restore(from: path, into: other, optimizer: AdamW(parameters: other), optimizerKind: "adamw")
        }
    }

    @Test func missingOrExtraParametersAreNamed() throws {
        let directory = try temporaryCheckpointDirectory()
        try RegressionRun(seed: 1).save(to: directory)
        let path = try #require(try CheckpointStore.latest(in: directory))
        let onlyW = [try TrainableParameter(name: "w", value: Tensor(shape: [3, 4]), gradient: Tensor(shape: [3, 4]))]
        #expect(throws: CheckpointError.unexpectedParameter("b", path: path)) {
            try CheckpointStore.restore(from: path, into: onlyW, optimizer: AdamW(parameters: onlyW), optimizerKind: "adamw")
        }
        let run = try RegressionRun(seed: 1)
        let more = run.parameters + [try TrainableParameter(name: "c", value: Tensor(shape: [1]), gradient: Tensor(shape: [1]))]
        #expect(throws: CheckpointError.missingParameter("c", path: path)) {
            try CheckpointStore.restore(from: path, into: more, optimizer: AdamW(parameters: more), optimizerKind: "adamw")
        }
        #expect(throws: CheckpointError.optimizerMismatch(checkpoint: "adamw", current: "sgd")) {
            try CheckpointStore.restore(from: path, into: run.parameters, optimizer: run.optimizer, optimizerKind: "sgd")
        }
    }

    @Test func corruptFilesAreRefusedAndTheModelIsLeftUntouched() throws {
        let directory = try temporaryCheckpointDirectory()
        let saved = try RegressionRun(seed: 1)
        _ = try saved.trainStep()
        try saved.save(to: directory)
        let path = try #require(try CheckpointStore.latest(in: directory))
        let run = try RegressionRun(seed: 2)
        let before = run.weight.toArray()

        let optimizerFile = path + "/optimizer.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: optimizerFile))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: optimizerFile))
        #expect(throws: CheckpointError.self) {
            try CheckpointStore.restore(from: path, into: run.parameters, optimizer: run.optimizer, optimizerKind: "adamw")
        }
        #expect(run.weight.toArray() == before, "a failed restore modifies nothing")

        try "{not json".write(toFile: path + "/checkpoint.json", atomically: true, encoding: .utf8)
        #expect(throws: CheckpointError.self) {
            try CheckpointStore.restore(from: path, into: run.parameters, optimizer: run.optimizer, optimizerKind: "adamw")
        }
        try "../elsewhere".write(toFile: directory + "/latest", atomically: true, encoding: .utf8)
        #expect(throws: CheckpointError.self) { try CheckpointStore.latest(in: directory) }
    }
}
