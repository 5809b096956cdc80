// The states of the model's own random generators (the LoRA adapters' dropout), by name, so a
// checkpoint can save them and a resumed run draws the same dropout masks.
import RetortTensor

extension LlamaModel {
    /// "lora.<layer>.<projection>" → the adapter's dropout generator state.
    public var randomStates: [String: UInt64] {
        var states: [String: UInt64] = [:]
        for layer in layers {
            for (projection, adapter) in layer.adapters {
                states["lora.\(layer.index).\(projection.rawValue)"] = adapter.generator.state
            }
        }
        return states
    }

    /// Restores what `randomStates` returned; every adapter of the model must be present.
    public func restoreRandomStates(_ states: [String: UInt64]) throws {
        var updates: [(LoRAAdapter, UInt64)] = []
        for layer in layers {
            for (projection, adapter) in layer.adapters {
                let name = "lora.\(layer.index).\(projection.rawValue)"
                guard let state = states[name] else {
                    throw ModelError.invalidLoRA(reason: "the saved random states have no \(name) (was the checkpoint made without this adapter?)")
                }
                updates.append((adapter, state))
            }
        }
        for (adapter, state) in updates { adapter.generator = SplitMix64(seed: state) }
    }
}
