// Packing and padding: sequences packed into one row with segment ids (positions restarting per
// segment) give the logits they give alone, and padding changes nothing for the real tokens.
import Testing
import RetortTensor
@testable import RetortModels

@Suite struct ModelPackingTests {
    static func model() throws -> LlamaModel {
        let config = try LlamaConfig(hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                                     intermediateSize: 24, vocabSize: 11, attentionBias: true, initializerRange: 0.3)
        return try LlamaModel(config: config, seed: 3)
    }

    static func maxDifference(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test func segmentPositionsRestartAtEachSequenceAndPaddingGetsZero() {
        let positions = LlamaModel.positions(segments: [0, 0, 1, 1, 1, -1, 4, 4, -1, -1], B: 2, T: 5)
        #expect(positions == [0, 1, 0, 1, 2, 0, 0, 1, 0, 0])
    }

    @Test func packedRowGivesTheLogitsOfEachSequenceAlone() throws {
        let model = try Self.model()
        let first: [Int32] = [3, 1, 4], second: [Int32] = [1, 5, 9, 2]
        let V = model.config.vocabSize
        let alone1 = try model.forward(tokens: first, B: 1, T: 3).logits.toArray()
        let alone2 = try model.forward(tokens: second, B: 1, T: 4).logits.toArray()
        let packed = try model.forward(tokens: first + second, B: 1, T: 7, segments: [0, 0, 0, 1, 1, 1, 1]).logits.toArray()
        #expect(Self.maxDifference(packed[0..<(3 * V)], alone1[...]) < 1e-5)
        #expect(Self.maxDifference(packed[(3 * V)...], alone2[...]) < 1e-5)
        // without segments the second sequence sees the first, so its logits differ
        let unmasked = try model.forward(tokens: first + second, B: 1, T: 7).logits.toArray()
        #expect(Self.maxDifference(unmasked[(3 * V)...], alone2[...]) > 1e-3)
    }

    @Test func paddedRowGivesTheLogitsOfTheUnpaddedSequence() throws {
        let model = try Self.model()
        let V = model.config.vocabSize
        let alone = try model.forward(tokens: [7, 2, 8], B: 1, T: 3).logits.toArray()
        let batch = try model.forward(tokens: [6, 6, 6, 6, 6, 7, 2, 8, 0, 0], B: 2, T: 5,
                                      segments: [0, 0, 0, 0, 0, 1, 1, 1, -1, -1]).logits.toArray()
        #expect(Self.maxDifference(batch[(5 * V)..<(8 * V)], alone[...]) < 1e-5)
    }

    @Test func hiddenStatesAreTheResidualStreamAtLayerBoundaries() throws {
        let model = try Self.model()
        let output = try model.forward(tokens: [1, 2, 3], B: 1, T: 3, keepHiddenStates: [0, 2])
        #expect(Set(output.hiddenStates.keys) == [0, 2])
        let embedding = model.embedding.value.toArray()
        let C = model.config.hiddenSize
        #expect(Array(output.hiddenStates[0]!.toArray()[C..<(2 * C)]) == Array(embedding[(2 * C)..<(3 * C)]))
        #expect(throws: ModelError.layerOutOfRange(index: 3, layerCount: 3)) {
            try model.forward(tokens: [1, 2, 3], B: 1, T: 3, keepHiddenStates: [3])
        }
    }
}
