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
        let tokenizer = try BPETokenizer(modelPath: path)
        let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
        return TokenizationResult(ids: ids, tokens: try ids.map { try tokenizer.token($0) })
    }
}
