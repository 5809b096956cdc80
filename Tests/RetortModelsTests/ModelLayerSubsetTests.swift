// Layer-subset initialization: a student built from chosen teacher layers holds exactly those
// layers' weights, in order, under its own layer names.
import Testing
import RetortTensor
@testable import RetortModels

@Suite struct ModelLayerSubsetTests {
    static func teacher(tied: Bool) throws -> LlamaModel {
        let config = try LlamaConfig(hiddenSize: 16, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2,
                                     intermediateSize: 24, vocabSize: 11, tieWordEmbeddings: tied, attentionBias: true)
        return try LlamaModel(config: config, seed: 21)
    }

    @Test func studentKeepsTheChosenLayersWeightsAndTheEmbeddingsNormAndHead() throws {
        let teacher = try Self.teacher(tied: false)
        let keep = LlamaModel.everyKthLayer(2, of: 4)
        #expect(keep == [0, 2])
        let student = try LlamaModel.layerSubset(of: teacher, keep: keep)
        #expect(student.config.numHiddenLayers == 2)
        #expect(student.layers.count == 2)
        for (studentIndex, teacherIndex) in keep.enumerated() {
            let source = teacher.layers[teacherIndex].parameters, target = student.layers[studentIndex].parameters
            #expect(source.count == target.count)
            for (from, to) in zip(source, target) {
                #expect(from.value.toArray() == to.value.toArray())
                #expect(to.name == from.name.replacingOccurrences(of: "layers.\(teacherIndex).", with: "layers.\(studentIndex)."))
            }
        }
        // layer 1 of the student is teacher layer 2, not teacher layer 1
        #expect(student.layers[1].weights[.q]!.value.toArray() != teacher.layers[1].weights[.q]!.value.toArray())
        #expect(student.embedding.value.toArray() == teacher.embedding.value.toArray())
        #expect(student.finalNorm.value.toArray() == teacher.finalNorm.value.toArray())
        #expect(student.lmHead!.value.toArray() == teacher.lmHead!.value.toArray())
    }

    @Test func subsetOfAllLayersComputesTheTeachersLogits() throws {
        let teacher = try Self.teacher(tied: true)
        let student = try LlamaModel.layerSubset(of: teacher, keep: [0, 1, 2, 3])
        #expect(student.lmHead == nil)
        let tokens: [Int32] = [4, 8, 15, 16].map { $0 % 11 }
        let expected = try teacher.forward(tokens: tokens, B: 1, T: 4).logits.toArray()
        #expect(try student.forward(tokens: tokens, B: 1, T: 4).logits.toArray() == expected)
    }

    @Test func layersOutsideTheTeacherOrAnEmptySubsetAreRejected() throws {
        let teacher = try Self.teacher(tied: false)
        #expect(throws: ModelError.layerOutOfRange(index: 4, layerCount: 4)) {
            try LlamaModel.layerSubset(of: teacher, keep: [0, 4])
        }
        #expect(throws: ModelError.self) { try LlamaModel.layerSubset(of: teacher, keep: []) }
    }
}
