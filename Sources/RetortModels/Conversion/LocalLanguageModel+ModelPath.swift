// A local model from whatever names it on the command line: a GGUF file, or a Hugging Face folder
// (config.json, safetensors weights, tokenizer.json), which generates exactly as the GGUF it was
// exported from.
import Foundation

extension LocalLanguageModel {
    public convenience init(modelPath path: String) throws {
        if HuggingFaceModelFolder.isModelFolder(path) {
            let folder = try HuggingFaceModelFolder(path: path)
            try self.init(model: folder.loadModel(), info: folder.info, tokenizer: folder.tokenizer)
        } else {
            try self.init(ggufPath: path)
        }
    }
}

extension BPETokenizer {
    /// The tokenizer of a GGUF file or a Hugging Face folder, without loading the weights.
    public init(modelPath path: String) throws {
        if HuggingFaceModelFolder.isModelFolder(path) {
            self = try HuggingFaceModelFolder(path: path).tokenizer
        } else {
            self = try BPETokenizer(gguf: GGUFModelInfo(GGUFFile(path: path)).tokenizer)
        }
    }
}
