// Packing: examples share rows without seeing each other, positions restart per example, padding
// and prompt tokens carry no weight, and the data order hands out every example once per epoch.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerPackingTests {
    @Test func packingPlacesExamplesGreedilyWithSegmentsPositionsAndPadding() throws {
        let a = TrainingExample(prompt: [1, 2], answer: [3])         // 3 tokens
        let b = TrainingExample(prompt: [4], answer: [5, 6, 7])      // 4 tokens
        let c = TrainingExample(prompt: [1, 1, 1, 1], answer: [2])   // 5 tokens: does not fit row 0 after a, b
        let batch = try PackedBatch(examples: [a, b, c], B: 2, T: 8, vocab: 8)
        #expect(batch.tokens == [1, 2, 3, 4, 5, 6, 7, 0, 1, 1, 1, 1, 2, 0, 0, 0])
        #expect(batch.segments == [0, 0, 0, 1, 1, 1, 1, -1, 0, 0, 0, 0, 0, -1, -1, -1])
        #expect(batch.positions == [0, 1, 2, 0, 1, 2, 3, 0, 0, 1, 2, 3, 4, 0, 0, 0])
        #expect(batch.targets == [2, 3, -1, 5, 6, 7, -1, -1, 1, 1, 1, 2, -1, -1, -1, -1])
        #expect(batch.lossMask == [0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
        #expect(batch.realTokenCount == 12)
        #expect(batch.lossWeight == 5)
    }

    @Test func packingRejectsAnExampleLongerThanARowAndMixedTeachers() throws {
        let long = TrainingExample(prompt: [1, 2, 3], answer: [4, 5])
        #expect(throws: TrainerError.exampleTooLong(index: 0, length: 5, sequenceLength: 4)) {
            try PackedBatch(examples: [long], B: 1, T: 4, vocab: 8)
        }
        let dense = TrainingExample(prompt: [0], answer: [1], teacher: .dense(logprobs: [Float](repeating: -log(2), count: 4)))
        let plain = TrainingExample(prompt: [1], answer: [0])
        #expect(throws: TrainerError.mixedTeachers(index: 1, expected: "dense", actual: "no")) {
            try PackedBatch(examples: [dense, plain], B: 1, T: 4, vocab: 2)
        }
    }

    @Test func dataOrderVisitsEveryExampleOncePerEpochAndResumesFromItsState() {
        var order = TrainingDataOrder(count: 7, seed: 3, shuffles: true)
        let first = (0..<7).map { _ in order.next() }
        #expect(first.sorted() == Array(0..<7))
        #expect(first != Array(0..<7))
        _ = order.next(); _ = order.next()
        var resumed = TrainingDataOrder(count: 7, shuffles: true, epochStartState: order.epochStartState,
                                        epoch: order.epoch, cursor: order.cursor)
        let expected = (0..<12).map { _ in order.next() }
        #expect((0..<12).map { _ in resumed.next() } == expected)
    }

    @Test func anExamplePackedWithAnotherTrainsAsIfItWereAlone() throws {
        let config = try TrainerFixtures.config(hidden: 16, layers: 2, vocab: 8)
        let examples = [TrainingExample(prompt: [1, 2, 3], answer: [1, 2, 3]), TrainingExample(prompt: [5, 6], answer: [7, 4, 5, 6])]
        let packed = try TrainerFixtures.gradients(model: LlamaModel(config: config, seed: 4), examples: examples, rows: 1, length: 12)
        let separate = try TrainerFixtures.gradients(model: LlamaModel(config: config, seed: 4), examples: examples, rows: 2, length: 6)
        #expect(packed.result.trainedPositions == 7)
        #expect(abs(packed.result.loss - separate.result.loss) < 1e-6)
        #expect(TrainerFixtures.maxDifference(packed.gradients, separate.gradients) < 1e-6)
    }
}
