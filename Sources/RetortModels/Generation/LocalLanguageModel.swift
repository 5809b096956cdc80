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

/// Not thread-safe: one generation or scoring at a time (the decode buffers are shared). To serve
/// many callers at once, hand it to a BatchedGenerator, which batches their calls.
public final class LocalLanguageModel: @unchecked Sendable {
    public let model: LlamaModel
    public let tokenizer: BPETokenizer
    public let chatTemplate: ChatTemplate?
    public let info: GGUFModelInfo
    /// End-of-sequence and end-of-turn tokens.
    public let stopTokens: Set<Int32>
    private var decodeWorkspace: DecodeWorkspace?

    /// The model of a GGUF file, ready to generate: its weights frozen, its quantized matrices decoded
    /// from their blocks. To train it, unfreeze them (`model.unfreezeBaseParameters()`).
    public convenience init(ggufPath: String) throws {
        let file = try GGUFFile(path: ggufPath)
        let info = try GGUFModelInfo(file)
        try self.init(model: try LlamaModel(gguf: file, forInference: true), info: info, tokenizer: try BPETokenizer(gguf: info.tokenizer))
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

    /// Generates `options.n` choices after `promptTokens` from one prefilled KV cache, the choices
    /// decoding side by side. `onStep` receives each choice's text (and log-probabilities) as they
    /// become final. Throws CancellationError when `cancellation` is cancelled between two tokens.
    /// For many calls at once, share a BatchedGenerator instead: it batches them together.
    public func generate(promptTokens: [Int32], options: GenerationOptions, cancellation: GenerationCancellation? = nil,
                         onStep: (GenerationStep) -> Void = { _ in }) throws -> [GenerationResult] {
        var outcome: Result<[GenerationResult], any Error>?
        try withoutActuallyEscaping(onStep) { onStep in
            let job = try GenerationJob(promptTokens: promptTokens, options: options, model: self, cancellation: cancellation,
                                        onStep: onStep) { outcome = $0 }
            let scheduler = DecodeScheduler(model: self, workspace: workspace, maxStepRows: Self.promptPieceRows)
            scheduler.add(job)
            while !scheduler.isIdle { scheduler.step() }
        }
        return try outcome!.get()
    }

    /// A call's prompt runs in pieces of at most this many tokens, which bounds the step buffers.
    static let promptPieceRows = 512

    /// The decode buffers of `generate`, kept between calls.
    private var workspace: DecodeWorkspace {
        if let decodeWorkspace { return decodeWorkspace }
        let made = model.makeDecodeWorkspace()
        decodeWorkspace = made
        return made
    }
}
