// A model ready to generate text: the decoder, its tokenizer and its chat template, loaded from
// a GGUF file. Generation streams tokens through the KV cache and stops at a stop token, a stop
// string or the token budget.
import Foundation
import RetortJSON

public struct GenerationResult: Sendable {
    public enum FinishReason: String, Sendable { case stop, length }
    public let text: String
    public let tokens: [Int32]
    public let promptTokens: Int
    public let finishReason: FinishReason
}

public final class LocalLanguageModel: @unchecked Sendable {
    public let model: LlamaModel
    public let tokenizer: BPETokenizer
    public let chatTemplate: ChatTemplate?
    public let info: GGUFModelInfo
    /// End-of-sequence and end-of-turn tokens.
    public let stopTokens: Set<Int32>

    public init(ggufPath: String) throws {
        let file = try GGUFFile(path: ggufPath)
        info = try GGUFModelInfo(file)
        tokenizer = try BPETokenizer(gguf: info.tokenizer)
        chatTemplate = try info.chatTemplate.map { try ChatTemplate(source: $0) }
        model = try LlamaModel(gguf: file)
        model.isTraining = false
        var stops: Set<Int32> = []
        if let eos = info.tokenizer.eosTokenID { stops.insert(Int32(eos)) }
        for name in ["<|im_end|>", "<|eot_id|>", "<end_of_turn>"] {
            if let id = tokenizer.id(of: name) { stops.insert(id) }
        }
        stopTokens = stops
    }

    /// The prompt text of a conversation, rendered with the model's own chat template.
    public func chatPrompt(_ messages: [JSONValue]) throws -> String {
        guard let chatTemplate else {
            throw GGUFModelLoadError(file: "model", message: "has no tokenizer.chat_template; use a plain prompt")
        }
        let bos = info.tokenizer.bosTokenID.flatMap { try? tokenizer.token(Int32($0)) } ?? ""
        let eos = info.tokenizer.eosTokenID.flatMap { try? tokenizer.token(Int32($0)) } ?? ""
        return try chatTemplate.render(messages: messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
    }

    /// Generates a continuation of `prompt`. `onText` receives text as it completes.
    public func generate(prompt: String, maxTokens: Int, sampling: SamplingParameters, stopStrings: [String] = [],
                         onText: (String) -> Void = { _ in }) throws -> GenerationResult {
        var sampler = try Sampler(sampling)
        let promptIDs = tokenizer.encode(prompt)
        let cache = model.makeCache(capacity: promptIDs.count + maxTokens)
        var logits = try model.decode(promptIDs, cache: cache).toArray()
        var generated: [Int32] = []
        var text = ""
        var decoder = tokenizer.makeStreamingDecoder()
        var reason = GenerationResult.FinishReason.length
        while generated.count < maxTokens {
            let token = sampler.next(logits: logits, context: promptIDs + generated)
            if stopTokens.contains(token) {
                reason = .stop
                break
            }
            generated.append(token)
            let piece = try decoder.push(token)
            text += piece
            if let stop = stopStrings.first(where: { text.contains($0) }) {
                text = String(text[..<text.range(of: stop)!.lowerBound])
                reason = .stop
                break
            }
            onText(piece)
            if generated.count == maxTokens { break }
            logits = try model.decode([token], cache: cache).toArray()
        }
        if reason == .length { text += decoder.finish() }
        return GenerationResult(text: text, tokens: generated, promptTokens: promptIDs.count, finishReason: reason)
    }
}
