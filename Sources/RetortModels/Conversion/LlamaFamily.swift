// The model families the decoder runs and how each is named in the files it is exchanged in:
// `general.architecture` in GGUF, `architectures` / `model_type` in a Hugging Face config.json.
// llama.cpp runs LLaMA and Mistral as one architecture ("llama") with GGML's interleaved-pair RoPE,
// so their converter reorders the query/key rows; Qwen2 runs with the rotate-half ("NeoX") RoPE
// that Hugging Face uses, so its rows are stored as they are.

public enum LlamaFamily: String, Sendable, CaseIterable {
    case llama, mistral, qwen2

    /// The family of a config's `model_type` (nil means LLaMA, the kernel's default).
    public init(modelType: String?, file: String) throws {
        guard let family = Self(rawValue: modelType ?? "llama") else {
            throw ModelConversionError(
                file: file, "model type \(modelType ?? "?") is not supported; llama, mistral and qwen2 are")
        }
        self = family
    }

    /// `general.architecture` of an exported GGUF.
    public var ggufArchitecture: String { self == .qwen2 ? "qwen2" : "llama" }

    /// The class name in config.json's `architectures`.
    public var huggingFaceClass: String {
        switch self {
        case .llama: "LlamaForCausalLM"
        case .mistral: "MistralForCausalLM"
        case .qwen2: "Qwen2ForCausalLM"
        }
    }

    /// Whether GGUF files of this `general.architecture` hold q/k rows in GGML's interleaved order.
    public static func ggufInterleavesQueryKey(architecture: String) -> Bool {
        architecture != "qwen2"
    }
}
