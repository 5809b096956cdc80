// A model ready to generate text: the decoder, its tokenizer and its chat template, loaded from
// a GGUF file. Generation streams tokens through the KV cache and stops at a stop token, a stop
// string, the token budget or the end of the model's context; it can sample several choices of one
// prompt (prefilled once) and report each token's log-probability with its top alternatives.
import Foundation
import RetortJSON

public struct GenerationResult: Sendable {
    public enum FinishReason: String, Sendable { case stop, length }
    public let text: String
    /// Every generated token (up to and including the one that completed a stop string; no stop token).
    public let tokens: [Int32]
    public let promptTokens: Int
    public let finishReason: FinishReason
    /// Per token of `text` when log-probabilities were asked for: tokens after a stop string's start are left out.
    public let logprobs: [GeneratedTokenLogprob]?

    public init(text: String, tokens: [Int32], promptTokens: Int, finishReason: FinishReason,
                logprobs: [GeneratedTokenLogprob]? = nil) {
        self.text = text
        self.tokens = tokens
        self.promptTokens = promptTokens
        self.finishReason = finishReason
        self.logprobs = logprobs
    }
}

/// Not thread-safe: one generation or scoring at a time (the KV cache and buffers are shared).
public final class LocalLanguageModel: @unchecked Sendable {
    public let model: LlamaModel
    public let tokenizer: BPETokenizer
    public let chatTemplate: ChatTemplate?
    public let info: GGUFModelInfo
    /// End-of-sequence and end-of-turn tokens.
    public let stopTokens: Set<Int32>

    public convenience init(ggufPath: String) throws {
        let file = try GGUFFile(path: ggufPath)
        let info = try GGUFModelInfo(file)
        try self.init(model: try LlamaModel(gguf: file), info: info, tokenizer: try BPETokenizer(gguf: info.tokenizer))
    }

    /// A model already in memory (a student being trained, a layer subset) that shares the
    /// tokenizer, chat template and special tokens `info` describes (usually its teacher's file).
    public init(model: LlamaModel, info: GGUFModelInfo, tokenizer: BPETokenizer) throws {
        self.info = info
        self.tokenizer = tokenizer
        chatTemplate = try info.chatTemplate.map { try ChatTemplate(source: $0) }
        self.model = model
        model.isTraining = false
        var stops: Set<Int32> = []
        if let eos = info.tokenizer.eosTokenID { stops.insert(Int32(eos)) }
        for name in ["<|im_end|>", "<|eot_id|>", "<end_of_turn>"] {
            if let id = tokenizer.id(of: name) { stops.insert(id) }
        }
        stopTokens = stops
    }

    /// Prompt plus generated tokens the model was trained to attend over.
    public var contextLength: Int { info.contextLength }

    /// The prompt text of a conversation, rendered with the model's own chat template.
    public func chatPrompt(_ messages: [JSONValue]) throws -> String {
        guard let chatTemplate else {
            throw GGUFModelLoadError(file: "model", message: "has no tokenizer.chat_template; use a plain prompt")
        }
        let bos = info.tokenizer.bosTokenID.flatMap { try? tokenizer.token(Int32($0)) } ?? ""
        let eos = info.tokenizer.eosTokenID.flatMap { try? tokenizer.token(Int32($0)) } ?? ""
        return try chatTemplate.render(messages: messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
    }

    /// Generates a continuation of `prompt`. `onText` receives text as it becomes final.
    public func generate(prompt: String, maxTokens: Int, sampling: SamplingParameters, stopStrings: [String] = [],
                         onText: (String) -> Void = { _ in }) throws -> GenerationResult {
        let options = GenerationOptions(maxTokens: maxTokens, sampling: sampling, stopStrings: stopStrings)
        return try generate(promptTokens: tokenizer.encode(prompt), options: options) { step in
            if !step.text.isEmpty { onText(step.text) }
        }[0]
    }

    /// Generates `options.n` choices after `promptTokens`, one after another, from one prefilled
    /// KV cache. `onStep` receives each choice's text (and log-probabilities) as they become final.
    /// Throws CancellationError when `cancellation` is cancelled between two tokens.
    public func generate(promptTokens: [Int32], options: GenerationOptions, cancellation: GenerationCancellation? = nil,
                         onStep: (GenerationStep) -> Void = { _ in }) throws -> [GenerationResult] {
        try options.validate()
        guard !promptTokens.isEmpty else { throw GenerationError.invalidOption("the prompt is empty") }
        guard promptTokens.count < contextLength else {
            throw GenerationError.promptTooLong(promptTokens: promptTokens.count, contextLength: contextLength)
        }
        let budget = min(options.maxTokens, contextLength - promptTokens.count)
        let prefilled = model.makeCache(capacity: promptTokens.count + budget)
        let firstLogits = try model.decode(promptTokens, cache: prefilled).toArray()
        var results: [GenerationResult] = []
        for choice in 0..<options.n {
            if cancellation?.isCancelled == true { throw CancellationError() }
            // The last choice may use the prefilled cache itself; the others work on a copy.
            let cache = choice == options.n - 1 ? prefilled : prefilled.copy(for: model)
            var sampling = options.sampling
            sampling.seed = options.sampling.seed &+ UInt64(choice)
            let run = ChoiceRun(index: choice, promptTokens: promptTokens, budget: budget, sampling: sampling,
                                stopStrings: options.stopStrings, topLogprobs: options.topLogprobs)
            results.append(try run.generate(with: self, cache: cache, firstLogits: firstLogits,
                                            cancellation: cancellation, onStep: onStep))
        }
        return results
    }
}
