// A frozen copy of a model as it is now: what a policy-gradient stage keeps as its reference policy
// (log π_ref for the KL penalty) while the model itself trains. Adapters are merged into the
// copy's weights, which computes the same logits with dropout off and costs no adapter products.
import RetortTensor

extension LlamaModel {
    /// An independent model with this one's current function: base weights copied, LoRA adapters
    /// merged in, every weight frozen, dropout off.
    public func frozenCopy() throws -> LlamaModel {
        let copy = try LlamaModel(zeroedFor: config)
        for (source, target) in zip(parameters, copy.parameters) { try target.assign(from: source) }
        for (index, layer) in layers.enumerated() {
            for (projection, adapter) in layer.adapters {
                let shape = projection.weightShape(config)
                var unused = SplitMix64(seed: 0)
                let twin = try LoRAAdapter(modulePath: "model.layers.\(index).\(projection.modulePath)", inFeatures: shape[1],
                                           outFeatures: shape[0], rank: adapter.rank, alpha: adapter.alpha, dropout: 0, generator: &unused)
                try twin.a.assign(from: adapter.a)
                try twin.b.assign(from: adapter.b)
                copy.layers[index].adapters[projection] = twin
            }
        }
        copy.mergeLoRA()
        copy.freezeBaseParameters()
        copy.isTraining = false
        return copy
    }
}
