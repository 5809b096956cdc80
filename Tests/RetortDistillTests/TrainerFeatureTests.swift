// Hidden-state objectives in the trainer: the first step's feature loss is the mean squared distance
// of the mapped hidden states computed independently, the whole gradient (token and feature parts,
// two student layers on one teacher layer) matches a finite difference along it, feature-only
// training pulls the student toward the teacher, a teacher of another width is matched through
// learned projections (gradient, training and resume), and bad settings are refused with the reason.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerFeatureTests {
    static let vocab = 8

    static func model(seed: UInt64, hidden: Int = 16) throws -> LlamaModel {
        try LlamaModel(config: TrainerFixtures.config(hidden: hidden, layers: 2, vocab: vocab), seed: seed)
    }

    static let examples = TrainerFixtures.copyExamples(count: 2, vocab: vocab, seed: 4)

    static func trainer(student: LlamaModel, teacher: LlamaModel?, objectives: [ObjectiveRegistry.MixturePart],
                        layers: [FeatureLayerPair] = [], learningRate: Float = 0, steps: Int = 1,
                        examples: [TrainingExample] = examples) throws -> DistillationTrainer {
        var configuration = TrainerConfiguration(objectives: objectives, batchRows: 2, sequenceLength: 8, maxSteps: steps,
                                                 learningRate: .constant(learningRate))
        configuration.shuffles = false
        configuration.clipNorm = nil
        configuration.adamW.weightDecay = 0
        configuration.spikeGuard = nil
        configuration.featureLayers = layers
        return try DistillationTrainer(model: student, examples: examples, configuration: configuration, featureTeacher: teacher)
    }

    @Test func featureLossIsTheMeanSquaredDistanceOfTheMappedHiddenStates() throws {
        let student = try Self.model(seed: 1), teacher = try Self.model(seed: 2)
        let trainer = try Self.trainer(student: student, teacher: teacher, objectives: [.init(name: "sft", weight: 1), .init(name: "mse", weight: 0.5)],
                                       layers: [FeatureLayerPair(studentLayer: 2, teacherLayer: 1)])
        let result = try trainer.step()
        // The two 6-token examples take one row each of the 2 × 8 micro-batch.
        let batch = try PackedBatch(examples: Self.examples, B: 2, T: 8, vocab: Self.vocab)
        let s = try student.forward(tokens: batch.tokens, B: 2, T: 8, positions: batch.positions, segments: batch.segments,
                                    keepHiddenStates: [2]).hiddenStates[2]!.toArray()
        let t = try teacher.forward(tokens: batch.tokens, B: 2, T: 8, positions: batch.positions, segments: batch.segments,
                                    keepHiddenStates: [1]).hiddenStates[1]!.toArray()
        var sum = 0.0, weight = 0.0
        for row in 0..<16 where batch.lossMask[row] > 0 {
            let distance = (0..<16).map { Double(s[row * 16 + $0] - t[row * 16 + $0]) }.map { $0 * $0 }.reduce(0, +) / 16
            sum += Double(batch.lossMask[row]) * distance
            weight += Double(batch.lossMask[row])
        }
        let mse = try #require(result.objectiveLosses["mse"]), sft = try #require(result.objectiveLosses["sft"])
        #expect(abs(mse - sum / weight) < 1e-6 * max(1, mse))
        #expect(abs(result.loss - (sft + 0.5 * mse)) < 1e-9)
    }

    @Test func theGradientOfTokenAndFeaturePartsMatchesAFiniteDifference() throws {
        let student = try Self.model(seed: 1), teacher = try Self.model(seed: 2)
        let objectives: [ObjectiveRegistry.MixturePart] = [.init(name: "sft", weight: 1), .init(name: "cosine", weight: 0.7)]
        let layers = [FeatureLayerPair(studentLayer: 1, teacherLayer: 2), FeatureLayerPair(studentLayer: 2, teacherLayer: 2, weight: 0.5)]
        func loss() throws -> (Double, [[Float]]) {
            let trainer = try Self.trainer(student: student, teacher: teacher, objectives: objectives, layers: layers)
            let result = try trainer.step()
            return (result.loss, trainer.optimizer.parameters.map { $0.gradient.toArray() })
        }
        let (_, gradient) = try loss()
        let squaredNorm = gradient.flatMap { $0 }.map { Double($0) * Double($0) }.reduce(0, +)
        #expect(squaredNorm > 0)
        let epsilon = 1e-3 / squaredNorm.squareRoot()  // a step of length 1e-3 along the gradient
        let parameters = student.trainableParameters
        func shift(_ sign: Double) {
            for (parameter, g) in zip(parameters, gradient) {
                let values = parameter.value.data
                for i in g.indices { values[i] += Float(sign * epsilon) * g[i] }
            }
        }
        shift(1)
        let (plus, _) = try loss()
        shift(-2)
        let (minus, _) = try loss()
        shift(1)
        let directional = (plus - minus) / (2 * epsilon)
        #expect(abs(directional - squaredNorm) / squaredNorm < 2e-2, "finite difference \(directional), analytic \(squaredNorm)")
    }

    @Test func featureOnlyTrainingPullsTheStudentTowardTheTeacher() throws {
        let student = try Self.model(seed: 1), teacher = try Self.model(seed: 2)
        let examples = TrainerFixtures.copyExamples(count: 12, vocab: Self.vocab, seed: 9)
        let results = try Self.trainer(student: student, teacher: teacher, objectives: [.init(name: "mse", weight: 1)],
                                       learningRate: 1e-2, steps: 40, examples: examples).run()
        #expect(results.allSatisfy { !$0.skipped && $0.objectiveLosses.keys.sorted() == ["mse"] })
        let first = results.prefix(3).map(\.loss).reduce(0, +) / 3, last = results.suffix(3).map(\.loss).reduce(0, +) / 3
        #expect(last < 0.5 * first, "mse \(first) → \(last)")
    }

    @Test func badFeatureSettingsAreRefused() throws {
        let student = try Self.model(seed: 1)
        let mse: [ObjectiveRegistry.MixturePart] = [.init(name: "mse", weight: 1)]
        #expect(throws: TrainerError.self) { try Self.trainer(student: student, teacher: nil, objectives: mse) }
        #expect(throws: TrainerError.self) { try Self.trainer(student: student, teacher: student, objectives: mse) }
        #expect(throws: ObjectiveError.layerOutOfRange(side: "teacher", layer: 3, count: 3)) {
            try Self.trainer(student: student, teacher: try Self.model(seed: 2), objectives: mse, layers: [FeatureLayerPair(studentLayer: 1, teacherLayer: 3)])
        }
        #expect(throws: ObjectiveError.self) {
            try Self.trainer(student: student, teacher: try Self.model(seed: 2), objectives: [.init(name: "dpo", weight: 1)])
        }
    }

    @Test func aWiderTeacherIsMatchedThroughProjectionsWhoseGradientMatchesAFiniteDifference() throws {
        let student = try Self.model(seed: 1), teacher = try Self.model(seed: 2, hidden: 24)
        let layers = [FeatureLayerPair(studentLayer: 1, teacherLayer: 2), FeatureLayerPair(studentLayer: 2, teacherLayer: 2, weight: 0.5)]
        let trainer = try Self.trainer(student: student, teacher: teacher, objectives: [.init(name: "sft", weight: 1), .init(name: "mse", weight: 0.7)],
                                       layers: layers, steps: 6)
        let names = trainer.optimizer.parameters.map(\.name).filter { $0.hasPrefix("feature_projection") }
        #expect(names == ["feature_projection.student_1.teacher_2.weight", "feature_projection.student_1.teacher_2.bias",
                          "feature_projection.student_2.teacher_2.weight", "feature_projection.student_2.teacher_2.bias"])
        // Learning rate 0 and the same two examples every step: each step reads the loss and
        // gradient at the current values, which the test moves along the gradient — first of the
        // projections alone (their share of the whole is small), then of everything.
        _ = try trainer.step()
        let parameters = trainer.optimizer.parameters
        let gradient = parameters.map { $0.gradient.toArray() }
        for onlyProjections in [true, false] {
            let chosen = parameters.indices.filter { !onlyProjections || parameters[$0].name.hasPrefix("feature_projection") }
            let squaredNorm = chosen.flatMap { gradient[$0] }.map { Double($0) * Double($0) }.reduce(0, +)
            #expect(squaredNorm > 0)
            let epsilon = 1e-3 / squaredNorm.squareRoot()
            func shift(_ sign: Double) {
                for index in chosen {
                    for i in gradient[index].indices { parameters[index].value.data[i] += Float(sign * epsilon) * gradient[index][i] }
                }
            }
            shift(1)
            let plus = try trainer.step().loss
            shift(-2)
            let minus = try trainer.step().loss
            shift(1)
            let directional = (plus - minus) / (2 * epsilon)
            #expect(abs(directional - squaredNorm) / squaredNorm < 2e-2,
                    "projections only: \(onlyProjections), finite difference \(directional), analytic \(squaredNorm)")
        }
    }

    @Test func trainingThroughProjectionsLowersTheLossAndResumesExactly() throws {
        let examples = TrainerFixtures.copyExamples(count: 12, vocab: Self.vocab, seed: 9)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retort-projection-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func run(steps: Int, resume: Bool) throws -> [StepResult] {
            let trainer = try Self.trainer(student: try Self.model(seed: 1), teacher: try Self.model(seed: 2, hidden: 24),
                                           objectives: [.init(name: "mse", weight: 1)], learningRate: 1e-2, steps: steps, examples: examples)
            if resume { try trainer.resume(from: directory) }
            let results = try trainer.run()
            if !resume { try trainer.saveCheckpoint(to: directory) }
            return results
        }
        let whole = try run(steps: 30, resume: false)
        let first = whole.prefix(3).map(\.loss).reduce(0, +) / 3, last = whole.suffix(3).map(\.loss).reduce(0, +) / 3
        #expect(whole.allSatisfy { !$0.skipped })
        #expect(last < 0.5 * first, "mse \(first) → \(last)")
        try FileManager.default.removeItem(atPath: directory)
        _ = try run(steps: 12, resume: false)
        let resumed = try run(steps: 30, resume: true)
        #expect(resumed.map(\.loss) == Array(whole.suffix(18).map(\.loss)))
    }
}
