// LoRA: adapters train while base weights stay frozen, and merging the adapters into the base
// weights reproduces the adapted model's logits.
import Testing
import RetortTensor
@testable import RetortModels

@Suite struct ModelLoRATests {
    @Test func trainingAdaptersLeavesBaseWeightsUnchangedAndMergingKeepsLogits() throws {
        let model = try LlamaModel(config: RepeatedPatternTask.config(), seed: 11)
        try model.addLoRA(rank: 4, alpha: 8, dropout: 0.1,
                          projections: [.named("q"), .named("v_proj"), .named("gate"), .named("down")], seed: 12)
        let baseBefore = model.parameters.map { $0.value.toArray() }
        #expect(model.parameters.allSatisfy { !$0.isTrainable })
        #expect(model.trainableParameters.map(\.name).allSatisfy { $0.contains(".lora_") })
        #expect(model.trainableParameters.count == 2 * 4 * model.config.numHiddenLayers)

        let losses = try RepeatedPatternTask.train(model: model, steps: 40, learningRate: 1e-2, dataSeed: 13)
        #expect(losses.suffix(5).reduce(0, +) < losses.prefix(5).reduce(0, +), "LoRA training should lower the loss")
        #expect(model.parameters.map { $0.value.toArray() } == baseBefore)
        let adapterB = try model.parameter(named: "model.layers.1.mlp.down_proj.lora_B.weight")
        #expect(adapterB.value.toArray().contains { $0 != 0 })

        model.isTraining = false  // no dropout, so the adapted forward is deterministic
        let tokens: [Int32] = [1, 2, 3, 1, 2, 3, 1, 2, 3]
        let adapted = try model.forward(tokens: tokens, B: 1, T: 9).logits.toArray()
        model.mergeLoRA()
        #expect(model.adapterParameters.isEmpty)
        let merged = try model.forward(tokens: tokens, B: 1, T: 9).logits.toArray()
        let difference = zip(adapted, merged).map { abs($0 - $1) }.max()!
        #expect(difference < 1e-4)
        #expect(model.parameters.map { $0.value.toArray() } != baseBefore)
    }

    @Test func aFrozenCopyComputesTheSameLogitsAndStaysWhenTheModelTrains() throws {
        let model = try LlamaModel(config: RepeatedPatternTask.config(), seed: 21)
        try model.addLoRA(rank: 2, alpha: 4, dropout: 0.2, projections: [.named("q"), .named("down")], seed: 22)
        _ = try RepeatedPatternTask.train(model: model, steps: 5, learningRate: 1e-2, dataSeed: 23)
        let copy = try model.frozenCopy()
        #expect(copy.trainableParameters.isEmpty && copy.adapterParameters.isEmpty && !copy.isTraining)
        let tokens: [Int32] = [1, 2, 3, 1, 2, 3, 1]
        model.isTraining = false
        let original = try model.forward(tokens: tokens, B: 1, T: 7).logits.toArray()
        let copied = try copy.forward(tokens: tokens, B: 1, T: 7).logits.toArray()
        #expect(zip(original, copied).map { abs($0 - $1) }.max()! < 1e-4)
        model.isTraining = true
        _ = try RepeatedPatternTask.train(model: model, steps: 5, learningRate: 1e-2, dataSeed: 24)
        #expect(try copy.forward(tokens: tokens, B: 1, T: 7).logits.toArray() == copied)
    }

    @Test func fullFineTuningTrainsEveryBaseParameter() throws {
        let model = try LlamaModel(config: RepeatedPatternTask.config(), seed: 14)
        #expect(model.trainableParameters.count == model.parameters.count)
        let before = model.parameters.map { $0.value.toArray() }
        _ = try RepeatedPatternTask.train(model: model, steps: 2, learningRate: 1e-2, dataSeed: 15)
        let after = model.parameters.map { $0.value.toArray() }
        #expect(zip(before, after).allSatisfy { $0 != $1 })
    }

    @Test func invalidLoRARequestsAreRejected() throws {
        let model = try LlamaModel(config: RepeatedPatternTask.config(), seed: 16)
        #expect(throws: ModelError.self) { try LlamaProjection.named("qkv") }
        #expect(throws: ModelError.invalidLoRA(reason: "rank must be positive, got 0")) {
            try model.addLoRA(rank: 0, alpha: 1, projections: [.q], seed: 1)
        }
        #expect(throws: ModelError.invalidLoRA(reason: "dropout must lie in [0, 1), got 1.0")) {
            try model.addLoRA(rank: 2, alpha: 1, dropout: 1, projections: [.q], seed: 1)
        }
        #expect(throws: ModelError.layerOutOfRange(index: 5, layerCount: 2)) {
            try model.addLoRA(rank: 2, alpha: 1, projections: [.q], layers: [5], seed: 1)
        }
    }
}
