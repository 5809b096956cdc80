// The local white-box teacher: a GGUF model run in-process by the kernel. It renders the model's
// own chat template, samples `n` choices with per-choice seeds, reports top-k log-probabilities,
// and scores given completions (teacher forcing) with hidden states. Concurrent calls share the
// model's decode steps (continuous batching, see BatchedGenerator), each keeping its own sampling,
// seed and stops; scoring runs between two steps. The model runs on the generator's own thread,
// off Swift's cooperative pool.
import Foundation
import RetortJSON
import RetortModels

public final class LocalTeacher: WhiteBoxTeacher, @unchecked Sendable {
    public let identity: TeacherIdentity
    public let capabilities: TeacherCapabilities
    /// Run only through `generator`, except for its immutable tokenizer and template.
    let model: LocalLanguageModel
    private let generator: BatchedGenerator

    /// Loads a GGUF file or a Hugging Face model folder; the teacher's model name is the file's
    /// name without `.gguf`, or the folder's name.
    public convenience init(modelPath: String) throws {
        let name = URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
        try self.init(model: LocalLanguageModel(modelPath: modelPath), name: name)
    }

    /// `maxBatch` bounds the choices generating at once; further calls wait for room.
    public init(model: LocalLanguageModel, name: String, maxBatch: Int = 64) {
        self.model = model
        generator = BatchedGenerator(model: model, maxBatch: maxBatch)
        identity = TeacherIdentity(backend: "local", model: name)
        capabilities = TeacherCapabilities(fullDistributions: true, hiddenStates: true, maxTopLogprobs: 20, vision: false,
                                           maxContext: model.contextLength)
    }

    public var tokenizer: BPETokenizer { model.tokenizer }
    public var layerCount: Int { model.model.config.numHiddenLayers }
    public var vocabularySize: Int { model.model.config.vocabSize }

    // MARK: Completion

    /// A request turned into what the model runs: the prompt's tokens and the generation options.
    public struct PreparedCompletion: Sendable {
        public var promptTokens: [Int32]
        public var options: GenerationOptions

        public init(promptTokens: [Int32], options: GenerationOptions) {
            self.promptTokens = promptTokens
            self.options = options
        }
    }

    /// Validates `request` and renders its messages with the chat template. Does not check the
    /// context length (`complete` does; a server may check it first to answer in its own words).
    /// Without a seed, a random one is drawn, as OpenAI-compatible servers do.
    public func prepare(_ request: TeacherRequest) throws(TeacherError) -> PreparedCompletion {
        try request.validate()
        let promptTokens = try chatPromptTokens(request.messages)
        let options = GenerationOptions(maxTokens: request.maxTokens, sampling: Self.samplingParameters(request.sampling),
                                        stopStrings: request.stop.filter { !$0.isEmpty }, n: request.n,
                                        topLogprobs: request.topLogprobs)
        return PreparedCompletion(promptTokens: promptTokens, options: options)
    }

    /// The kernel's sampling parameters for the protocol's; without a seed a random one is drawn.
    public static func samplingParameters(_ s: TeacherSampling) -> SamplingParameters {
        var sampling = SamplingParameters()
        sampling.temperature = Float(s.temperature)
        sampling.topP = Float(s.topP)
        sampling.topK = s.topK ?? 0
        sampling.minP = Float(s.minP ?? 0)
        sampling.repetitionPenalty = Float(s.repetitionPenalty ?? 1)
        sampling.seed = s.seed ?? UInt64.random(in: 0...UInt64.max)
        return sampling
    }

    /// The conversation rendered with the model's chat template (ending with the assistant's
    /// turn opened), as tokens. Images are refused: this is a text model.
    public func chatPromptTokens(_ messages: [ChatMessage]) throws(TeacherError) -> [Int32] {
        if messages.isEmpty { throw .invalidRequest("a request needs at least one message") }
        if messages.contains(where: \.hasImages) {
            throw .unsupported("\(identity.model) is a text model and cannot read images; remove the image parts or use a vision teacher")
        }
        let rendered: String
        do {
            rendered = try model.chatPrompt(messages.map { ["role": .string($0.role), "content": .string($0.text)] })
        } catch {
            throw .invalidRequest("the model's chat template could not render these messages: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
        }
        return model.tokenizer.encode(rendered)
    }

    /// Tokens of a plain (non-chat) prompt.
    public func promptTokens(_ text: String) -> [Int32] { model.tokenizer.encode(text) }

    public func complete(_ request: TeacherRequest) async throws -> TeacherResponse {
        let prepared = try prepare(request)
        let results = try await run(prepared)
        return response(results, promptTokens: prepared.promptTokens.count)
    }

    /// Generates the prepared choices in a batch with the other calls in flight; `onStep` streams
    /// their text from the generation thread. Cancelling the task stops generation between two tokens.
    public func run(_ prepared: PreparedCompletion, onStep: (@Sendable (GenerationStep) -> Void)? = nil) async throws
        -> [GenerationResult]
    {
        let maxContext = capabilities.maxContext
        guard prepared.promptTokens.count < maxContext else {
            throw TeacherError.invalidRequest("the prompt has \(prepared.promptTokens.count) tokens, but \(identity.model) holds \(maxContext) (prompt plus completion); shorten the messages")
        }
        do {
            return try await generator.generate(promptTokens: prepared.promptTokens, options: prepared.options) { onStep?($0) }
        } catch let error as GenerationError {
            throw TeacherError.invalidRequest(error.errorDescription ?? "\(error)")
        } catch let error as TokenizerError {
            // Not retryable: the same seed would produce the same token again.
            throw TeacherError.unsupported("the model produced a token its tokenizer cannot decode (\(error)); the GGUF's vocabulary and model disagree")
        }
    }

    /// The protocol's response: text, finish reason and log-probabilities per choice; usage counts
    /// the prompt once and every choice's tokens.
    public func response(_ results: [GenerationResult], promptTokens: Int) -> TeacherResponse {
        let choices = results.map { result in
            TeacherChoice(text: result.text, finishReason: result.finishReason.rawValue,
                          logprobs: result.logprobs.map { $0.map(tokenLogprob) })
        }
        let completion = results.reduce(0) { $0 + $1.tokens.count }
        return TeacherResponse(choices: choices, usage: TokenUsage(promptTokens: promptTokens, completionTokens: completion),
                               model: identity.model)
    }

    /// The text of one token (a byte-level piece of a character decodes to U+FFFD).
    public func tokenText(_ id: Int32) -> String { (try? model.tokenizer.decode([id], lossy: true)) ?? "" }

    /// The UTF-8 bytes of one token.
    public func tokenBytes(_ id: Int32) -> [UInt8] { (try? model.tokenizer.decodeBytes([id])) ?? [] }

    func tokenLogprob(_ entry: GeneratedTokenLogprob) -> TokenLogprob {
        TokenLogprob(token: tokenText(entry.id), logprob: Double(entry.logprob),
                     top: entry.top.map { TopLogprob(token: tokenText($0.id), logprob: Double($0.logprob)) })
    }

    // MARK: Scoring

    public func score(messages: [ChatMessage], completion: String, topK: Int, layers: [Int]) async throws -> TeacherScoring {
        let prompt = try chatPromptTokens(messages)
        let completionTokens = model.tokenizer.encode(completion, parseSpecial: false, addSpecial: false)
        let scores = try await scoreTokens(prompt: prompt, completion: completionTokens, topK: topK, layers: layers)
        return TeacherScoring(distributions: scores.distributions, hiddenStates: scores.hiddenStates, hiddenSize: scores.hiddenSize)
    }

    /// Teacher forcing on token ids: top-`topK` distributions at every completion token, each
    /// token's own log-probability, and the hidden states of `layers` there.
    public func scoreTokens(prompt: [Int32], completion: [Int32], topK: Int, layers: [Int]) async throws -> CompletionScores {
        try Task.checkCancellation()
        return try await generator.exclusive { model in
            do {
                return try model.score(promptTokens: prompt, completionTokens: completion, topK: topK, hiddenLayers: Set(layers))
            } catch let error as GenerationError {
                throw TeacherError.invalidRequest(error.errorDescription ?? "\(error)")
            }
        }
    }
}
