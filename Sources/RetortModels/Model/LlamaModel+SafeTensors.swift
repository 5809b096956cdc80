// Loading and saving the model's weights as safetensors under their Hugging Face names, so a
// transformers checkpoint loads directly and a trained student saves as one.
import RetortTensor

extension LlamaModel {
    /// Copies every base parameter from `file` (F32, F16, BF16 or F64, converted to float32).
    /// A tied model ignores a stored lm_head.weight; a missing tensor or a shape that differs throws.
    public func loadWeights(from file: SafeTensorsFile) throws {
        // LLaMA's attention_bias also biases o_proj, which this kernel has no bias for: refuse
        // rather than silently compute without it.
        if let unsupported = file.tensors.first(where: { $0.name.hasSuffix("o_proj.bias") }) {
            throw ModelError.unknownParameter(name: unsupported.name)
        }
        for parameter in parameters {
            let info = try file.info(parameter.name)
            guard info.shape == parameter.value.shape else {
                throw ModelError.parameterShapeMismatch(name: parameter.name, expected: parameter.value.shape, actual: info.shape)
            }
            try parameter.assign(try file.floats(parameter.name))
        }
    }

    /// Every base parameter (and, with `includeAdapters`, every LoRA A and B) in a safetensors writer.
    public func weightsWriter(as dtype: SafeTensorsDType = .f32, includeAdapters: Bool = false) throws -> SafeTensorsWriter {
        var writer = SafeTensorsWriter()
        writer.metadata["format"] = "pt"
        for parameter in parameters + (includeAdapters ? adapterParameters : []) {
            try writer.add(parameter.name, floats: parameter.value.toArray(), shape: parameter.value.shape, as: dtype)
        }
        return writer
    }
}
