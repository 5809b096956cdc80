// `retort tokenize`: a model's tokenizer (read from its GGUF metadata; weights are not loaded)
// applied to a text.
import RetortModels

public struct TokenizationResult: Sendable {
    public let ids: [Int32]
    public let tokens: [String]
}

public enum Tokenization {
    public static func run(model: String, text: String, modelsDirectory: String?, parseSpecial: Bool) throws -> TokenizationResult {
        let path = try ModelStore.resolve(model, directory: ModelStore.directory(explicit: modelsDirectory))
        guard path.hasSuffix(".gguf") else {
            throw ModelStoreError(message: "\(path): tokenize needs a .gguf model for now")
        }
        let tokenizer = try BPETokenizer(gguf: GGUFModelInfo(GGUFFile(path: path)).tokenizer)
        let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
        return TokenizationResult(ids: ids, tokens: try ids.map { try tokenizer.token($0) })
    }
}
