// The training and evaluation tables: steps round-trip (NaN losses included), a resume's redone
// steps replace the old ones, evaluations come back baseline first, artifacts replace by kind.
import Foundation
@testable import RetortPipeline
import Testing

@Suite struct TrainingRecordsTests {
    @Test func stepsRoundTripAndTruncate() throws {
        let dir = RunStoreFixtures.runDirectory("steps")
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        let steps = (1...4).map {
            TrainingStepRow(stage: "sft", step: $0, loss: 3 - Double($0) * 0.5, objectives: ["sft": 3 - Double($0) * 0.5],
                            learningRate: 1e-4, gradientNorm: 1.5, tokens: 100)
        }
        try store.appendTrainingSteps(steps)
        try store.appendTrainingSteps([TrainingStepRow(stage: "rkl", step: 1, loss: .nan, objectives: [:], learningRate: 1e-5,
                                                       gradientNorm: .infinity, tokens: 90, skipped: true, skipReason: "loss is nan")])
        #expect(try store.trainingSteps(stage: "sft") == steps)
        let skipped = try #require(try store.trainingSteps(stage: "rkl").first)
        #expect(skipped.loss.isNaN && skipped.gradientNorm == nil && skipped.skipped && skipped.skipReason == "loss is nan")

        try store.truncateTrainingSteps(stage: "sft", after: 2)
        #expect(try store.trainingSteps(stage: "sft").map(\.step) == [1, 2])
        var redone = steps[2]
        redone.loss = 9
        try store.appendTrainingSteps([redone])
        #expect(try store.trainingSteps(stage: "sft").last?.loss == 9)
        #expect(try store.trainingSteps().count == 4)
    }

    @Test func evaluationsComeBaselineFirstAndArtifactsReplaceByKind() throws {
        let dir = RunStoreFixtures.runDirectory("evals")
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.recordEvaluation([EvaluationRow(checkpoint: "sft@20", metric: "kl", value: 2.5, stage: "sft", step: 20)],
                                   samples: [EvalSampleRow(checkpoint: "sft@20", position: 0, prompt: "p", reference: "r", output: "o")])
        try store.recordEvaluation([EvaluationRow(checkpoint: "baseline", metric: "kl", value: 9, stage: "", step: 0)])
        #expect(try store.evaluations().map(\.checkpoint) == ["baseline", "sft@20"])
        #expect(try store.evalSamples(checkpoint: "sft@20").map(\.output) == ["o"])
        #expect(try store.evalSamples(checkpoint: "baseline").isEmpty)

        try store.recordArtifact(kind: "gguf", path: "/a.gguf", sha256: "aa")
        try store.recordArtifact(kind: "gguf", path: "/b.gguf", sha256: "bb")
        #expect(try store.artifacts() == [ArtifactRow(kind: "gguf", path: "/b.gguf", sha256: "bb")])
    }
}
