// Parameter-efficient fine-tuning: LoRA adapters on chosen projections with the base weights
// frozen, and merging the trained adapters back into the base weights (W += alpha/r * B A).
import RetortTensor

extension LlamaProjection {
    /// The projection called "q", "q_proj", "gate", "gate_proj", ... as LoRA target lists spell it.
    public static func named(_ name: String) throws -> LlamaProjection {
        if let projection = LlamaProjection(rawValue: name) ?? LlamaProjection(rawValue: name + "_proj") {
            return projection
        }
        let known = LlamaProjection.allCases.map(\.rawValue).joined(separator: ", ")
        throw ModelError.invalidLoRA(reason: "unknown projection '\(name)'; known: \(known)")
    }
}

extension LlamaModel {
    /// Adds a LoRA adapter (rank, alpha, dropout) on each of `projections` in each of `layers`
    /// (all layers when nil); A and B are drawn from SplitMix64(seed). With `freezeBase`, every base
    /// parameter (embedding, norms, projections, biases, head) loses its gradient buffer, so only
    /// adapters train. Replaces any adapter already on those projections.
    public func addLoRA(
        rank: Int, alpha: Float, dropout: Float = 0, projections: Set<LlamaProjection>,
        layers layerIndices: [Int]? = nil, seed: UInt64, freezeBase: Bool = true
    ) throws {
        guard !projections.isEmpty else { throw ModelError.invalidLoRA(reason: "no projections were chosen") }
        let indices = layerIndices ?? Array(layers.indices)
        for index in indices where !layers.indices.contains(index) {
            throw ModelError.layerOutOfRange(index: index, layerCount: layers.count)
        }
        var generator = SplitMix64(seed: seed)
        for index in indices {
            for projection in LlamaProjection.allCases where projections.contains(projection) {
                let shape = projection.weightShape(config)
                layers[index].adapters[projection] = try LoRAAdapter(
                    modulePath: "model.layers.\(index).\(projection.modulePath)", inFeatures: shape[1],
                    outFeatures: shape[0], rank: rank, alpha: alpha, dropout: dropout, generator: &generator)
            }
        }
        if freezeBase { freezeBaseParameters() }
    }

    /// Drops the gradient buffers of every base parameter (adapters stay trainable).
    public func freezeBaseParameters() {
        for parameter in parameters { parameter.freeze() }
    }

    /// Gives every base parameter a gradient buffer again (full fine-tuning).
    public func unfreezeBaseParameters() {
        for parameter in parameters { parameter.unfreeze() }
    }

    /// Folds every adapter into its base weight, W (OC, C) += alpha/r * B (OC, r) @ A (r, C), and
    /// removes the adapters; the model then computes the same logits without them.
    public func mergeLoRA() {
        for layer in layers {
            for (projection, adapter) in layer.adapters {
                let shape = projection.weightShape(config)
                let delta = adapter.delta(C: shape[1], OC: shape[0])
                let parameter = layer.weight(projection), weight = parameter.value
                for i in 0..<weight.count { weight.data[i] += delta.data[i] }
                parameter.valuesChanged()
            }
            layer.adapters = [:]
        }
    }
}
