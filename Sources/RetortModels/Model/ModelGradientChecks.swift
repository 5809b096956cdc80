// Finite-difference checks of the whole decoder's backward through a cross-entropy loss, on a tiny
// model with GQA, a packed row and a padded row, for the tests and for `retort check gradients`.
import Foundation
import RetortTensor

public enum ModelGradientChecks {
    /// Float32 through two layers with h = 3e-3 gives errors near 5e-3 here; a wrong term gives O(0.1) or more.
    public static let all: [GradientCheckItem] = [
        GradientCheckItem(name: "model (untied head, QKV bias, GQA, packed + padded)", tolerance: 2e-2) {
            try wholeModel(Variant(tied: false, attentionBias: true)).worstRelativeError
        },
        GradientCheckItem(name: "model (tied embeddings, partial rotary)", tolerance: 2e-2) {
            try wholeModel(Variant(tied: true, partialRotary: 0.5)).worstRelativeError
        },
        GradientCheckItem(name: "model with LoRA adapters (base frozen)", tolerance: 2e-2) {
            try wholeModel(Variant(lora: true)).worstRelativeError
        },
        GradientCheckItem(name: "model with a hidden-state loss", tolerance: 2e-2) {
            try wholeModel(Variant(hiddenStateLoss: true)).worstRelativeError
        },
        GradientCheckItem(name: "reward model (scalar head on the last tokens)", tolerance: 2e-2) {
            try wholeModel(Variant(rewardHead: true)).worstRelativeError
        },
    ]

    /// Which features the tiny model of a check has.
    public struct Variant: Sendable {
        public var tied = false
        public var attentionBias = false
        public var partialRotary: Float? = nil
        public var lora = false
        public var hiddenStateLoss = false
        /// The loss reads the rewards of a scalar head instead of the logits (which are not computed):
        /// a Bradley–Terry term on two sequences plus a square of the third.
        public var rewardHead = false
        /// Multiplies every analytic gradient before comparing; anything but 1 must fail the check.
        public var corruptGradients: Float = 1

        public init(tied: Bool = false, attentionBias: Bool = false, partialRotary: Float? = nil, lora: Bool = false,
                    hiddenStateLoss: Bool = false, rewardHead: Bool = false, corruptGradients: Float = 1) {
            self.tied = tied
            self.attentionBias = attentionBias
            self.partialRotary = partialRotary
            self.lora = lora
            self.hiddenStateLoss = hiddenStateLoss
            self.rewardHead = rewardHead
            self.corruptGradients = corruptGradients
        }
    }

    /// The worst disagreement and where it was.
    public struct Result: Sendable {
        public var worstRelativeError: Double
        public var parameter: String
        public var element: Int
        public var analytic: Double
        public var numeric: Double
        /// How many elements were compared.
        public var checked: Int
    }

    /// Builds a 2-layer model (hidden 16, 4 heads, 2 KV heads, MLP 24, vocab 11) with large random
    /// weights so gradients are O(0.1), runs forward and backward on B = 2, T = 5 (row 0 packs two
    /// sequences, row 1 ends in padding), and compares `samples` random elements of every parameter.
    /// epsilon 3e-3: smaller than the ops' 1e-2 because two layers of O(1) weights curve the loss more,
    /// and the loss (a mean over 7 targets, O(1)) keeps float32 noise near 1e-4 relative at that step.
    public static func wholeModel(_ variant: Variant, samples: Int = 6, seed: UInt64 = 7, epsilon: Float = 3e-3) throws -> Result {
        let config = try LlamaConfig(
            hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 24,
            vocabSize: 11, tieWordEmbeddings: variant.tied, partialRotaryFactor: variant.partialRotary,
            attentionBias: variant.attentionBias, initializerRange: 0.4)
        let model = try LlamaModel(config: config, seed: seed)
        var generator = SplitMix64(seed: seed &+ 1)
        // norms and biases away from their 1 / 0 initial values, so their gradients are generic
        for parameter in model.parameters where parameter.value.shape.count == 1 {
            for i in 0..<parameter.value.count { parameter.value.data[i] = 0.5 + generator.nextUnitFloat() }
        }
        if variant.lora {
            try model.addLoRA(rank: 2, alpha: 4, projections: [.q, .v, .o, .down], seed: seed &+ 2)
            for adapter in model.adapterParameters where adapter.name.contains("lora_B") {
                for i in 0..<adapter.value.count { adapter.value.data[i] = generator.nextGaussian() * 0.3 }
            }
        }
        let B = 2, T = 5, N = B * T
        let tokens: [Int32] = [3, 7, 1, 9, 4, 2, 10, 5, 0, 0]
        let segments: [Int32] = [0, 0, 1, 1, 1, 2, 2, 2, -1, -1]
        let ignore = CrossEntropy.ignoreIndex
        let targets: [Int32] = [7, ignore, 9, 4, 6, 10, 5, 8, ignore, ignore]
        let hiddenIndex = 1
        let hiddenWeights = Tensor.uniform(shape: [N, config.hiddenSize], in: -1...1, generator: &generator)
        let head = variant.rewardHead ? try RewardHead(width: config.hiddenSize, std: 0.25, seed: seed &+ 3) : nil
        let lastTokens = [1, 4, 7]

        /// With a head: ℓ = log(1 + e^{−(r₀ − r₁)}) + 0.3 r₂², and the gradient goes in when asked. The
        /// head's std 0.25 keeps rewards O(1): larger ones curve the loss past what h = 3e-3 resolves.
        func rewardLoss(backward: Bool) throws -> Double {
            let output = try model.forward(tokens: tokens, B: B, T: T, segments: segments, computeLogits: false)
            let r = try head!.scores(finalNormed: output.finalNormed, rows: lastTokens).map(Double.init)
            let margin = r[0] - r[1]
            if backward {
                let slope = -1 / (1 + exp(margin))
                let dnormed = try head!.backward(finalNormed: output.finalNormed, rows: lastTokens,
                                                 dscores: [Float(slope), Float(-slope), Float(0.6 * r[2])])
                try model.backward(dlogits: nil, dFinalNormed: dnormed)
            }
            return log(1 + exp(-margin)) + 0.3 * r[2] * r[2]
        }

        func loss(dlogits: Tensor?) throws -> Double {
            if head != nil { return try rewardLoss(backward: false) }
            let output = try model.forward(tokens: tokens, B: B, T: T, segments: segments,
                                           keepHiddenStates: variant.hiddenStateLoss ? [hiddenIndex] : [])
            var total = try CrossEntropy.meanLoss(dlogits: dlogits, logits: output.logits, targets: targets,
                                                  N: N, V: config.vocabSize)
            if variant.hiddenStateLoss, let hidden = output.hiddenStates[hiddenIndex] {
                total += 0.1 * GradientCheck.projection(hidden, hiddenWeights)
            }
            return total
        }
        model.zeroGradients()
        if head != nil {
            _ = try rewardLoss(backward: true)
        } else {
            let dlogits = Tensor(shape: [N, config.vocabSize])
            _ = try loss(dlogits: dlogits)
            let dHidden = hiddenWeights.copy()
            for i in 0..<dHidden.count { dHidden.data[i] *= 0.1 }
            try model.backward(dlogits: dlogits, dHiddenStates: variant.hiddenStateLoss ? [hiddenIndex: dHidden] : [:])
        }

        let checked = (model.parameters + model.adapterParameters + (head.map { [$0.weight] } ?? [])).filter(\.isTrainable)
        var result = Result(worstRelativeError: 0, parameter: "", element: -1, analytic: 0, numeric: 0, checked: 0)
        let floor = 1e-2
        for parameter in checked {
            let value = parameter.value, gradient = parameter.gradient!
            for _ in 0..<min(samples, value.count) {
                let element = Int(generator.next() % UInt64(value.count))
                let original = value.data[element]
                value.data[element] = original + epsilon
                let plus = try loss(dlogits: nil)
                value.data[element] = original - epsilon
                let minus = try loss(dlogits: nil)
                value.data[element] = original
                let numeric = (plus - minus) / (Double(original + epsilon) - Double(original - epsilon))
                let analytic = Double(gradient.data[element] * variant.corruptGradients)
                let error = abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)
                result.checked += 1
                if error > result.worstRelativeError || !error.isFinite {
                    result = Result(worstRelativeError: error.isFinite ? error : .infinity, parameter: parameter.name,
                                    element: element, analytic: analytic, numeric: numeric, checked: result.checked)
                }
            }
        }
        return result
    }
}
