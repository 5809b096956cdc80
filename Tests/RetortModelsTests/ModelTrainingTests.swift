// Training the decoder end to end with AdamW: a tiny model learns an in-context copy task (each
// row repeats a random 3-token pattern, so after the first period the next token is determined
// by the one 3 back), and a seed fixes the whole loss curve.
import Testing
import RetortTensor
@testable import RetortModels

/// A tiny model, a repeated-pattern task and an AdamW loop, shared by the training tests.
struct RepeatedPatternTask {
    static let period = 3, vocab = 8, B = 8, T = 9

    static func config() throws -> LlamaConfig {
        try LlamaConfig(hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                        intermediateSize: 64, vocabSize: vocab, tieWordEmbeddings: false, initializerRange: 0.1)
    }

    /// B rows of a random pattern repeated; targets are the next tokens, ignored within the first period.
    static func batch(_ generator: inout SplitMix64) -> (tokens: [Int32], targets: [Int32]) {
        var tokens: [Int32] = [], targets: [Int32] = []
        for _ in 0..<B {
            let pattern = (0..<period).map { _ in Int32(generator.next() % UInt64(vocab)) }
            let row = (0...T).map { pattern[$0 % period] }
            tokens += row[0..<T]
            targets += (0..<T).map { t in t + 1 < period ? CrossEntropy.ignoreIndex : row[t + 1] }
        }
        return (tokens, targets)
    }

    /// Trains for `steps` and returns the loss of every step.
    static func train(model: LlamaModel, steps: Int, learningRate: Float, dataSeed: UInt64) throws -> [Double] {
        let optimizer = AdamW(parameters: model.trainableParameters, configuration: .init(weightDecay: 0))
        var generator = SplitMix64(seed: dataSeed)
        var losses: [Double] = []
        for _ in 0..<steps {
            let (tokens, targets) = batch(&generator)
            optimizer.zeroGradients()
            let output = try model.forward(tokens: tokens, B: B, T: T)
            // the gradient replaces the logits in place: one (N, V) buffer
            let loss = try CrossEntropy.meanLoss(dlogits: output.logits, logits: output.logits, targets: targets,
                                                 N: B * T, V: vocab)
            try model.backward(dlogits: output.logits)
            optimizer.step(learningRate: learningRate)
            losses.append(loss)
        }
        return losses
    }
}

@Suite struct ModelTrainingTests {
    @Test func tinyModelLearnsToContinueARepeatedPattern() throws {
        let model = try LlamaModel(config: RepeatedPatternTask.config(), seed: 1)
        let losses = try RepeatedPatternTask.train(model: model, steps: 300, learningRate: 1e-2, dataSeed: 2)
        let last = losses.suffix(10).reduce(0, +) / 10
        #expect(losses[0] > 1.5, "initial loss \(losses[0]) should be near log(8)")
        #expect(last < 0.05, "mean loss of the last 10 steps is \(last)")
    }

    @Test func sameSeedGivesIdenticalLossCurve() throws {
        let first = try RepeatedPatternTask.train(model: LlamaModel(config: RepeatedPatternTask.config(), seed: 5),
                                                  steps: 20, learningRate: 1e-2, dataSeed: 6)
        let second = try RepeatedPatternTask.train(model: LlamaModel(config: RepeatedPatternTask.config(), seed: 5),
                                                   steps: 20, learningRate: 1e-2, dataSeed: 6)
        let other = try RepeatedPatternTask.train(model: LlamaModel(config: RepeatedPatternTask.config(), seed: 9),
                                                  steps: 20, learningRate: 1e-2, dataSeed: 6)
        #expect(first == second)
        #expect(first != other)
    }
}
