// One generation call as the decode scheduler holds it: the prompt and how much of it is in the
// prefix cache, then one run, cache and next token per choice, and where the results go.
import Foundation

final class GenerationJob {
    let promptTokens: [Int32]
    let options: GenerationOptions
    /// New tokens per choice at most: maxTokens, or fewer where the model's context ends.
    let budget: Int
    let cancellation: GenerationCancellation?
    let onStep: (GenerationStep) -> Void
    /// Called once, with the n results or the error that ended the call.
    private let completion: (Result<[GenerationResult], any Error>) -> Void
    /// The prompt's keys and values; the last choice keeps it, the others get copies.
    let prefix: LlamaKVCache
    /// Prompt tokens already run into `prefix`.
    var prefilled = 0
    /// Per choice, once the prompt is in: its run, its cache and the token it runs next (nil when finished).
    var runs: [ChoiceRun] = []
    var caches: [LlamaKVCache?] = []
    var nextTokens: [Int32?] = []
    private(set) var isComplete = false
    /// Choices the scheduler counts as holding a place in its batch (its bookkeeping).
    var countedSequences = 0

    /// Checks the call (options, an empty or out-of-vocabulary prompt, a prompt that fills the
    /// context) before it joins a batch, so a bad call never fails the others.
    init(promptTokens: [Int32], options: GenerationOptions, model: LocalLanguageModel, cancellation: GenerationCancellation?,
         onStep: @escaping (GenerationStep) -> Void, completion: @escaping (Result<[GenerationResult], any Error>) -> Void) throws {
        try options.validate()
        guard !promptTokens.isEmpty else { throw GenerationError.invalidOption("the prompt is empty") }
        let vocabulary = model.model.config.vocabSize
        if let bad = promptTokens.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            throw GenerationError.invalidOption("token id \(bad) is outside the vocabulary of \(vocabulary)")
        }
        guard promptTokens.count < model.contextLength else {
            throw GenerationError.promptTooLong(promptTokens: promptTokens.count, contextLength: model.contextLength)
        }
        self.promptTokens = promptTokens
        self.options = options
        budget = min(options.maxTokens, model.contextLength - promptTokens.count)
        self.cancellation = cancellation
        self.onStep = onStep
        self.completion = completion
        prefix = model.model.makeCache(capacity: promptTokens.count + budget)
    }

    var isPrefilled: Bool { prefilled == promptTokens.count }

    /// Choices still generating.
    var activeChoices: Int { nextTokens.count(where: { $0 != nil }) }

    /// Starts the n choices from the logits after the prompt: choice i samples with seed + i, and
    /// all but the last work on copies of the prefix cache.
    func start(firstLogits: UnsafeBufferPointer<Float>, model: LocalLanguageModel) throws {
        let n = options.n
        caches = (0..<n).map { $0 == n - 1 ? prefix : prefix.copy() }
        for choice in 0..<n {
            var sampling = options.sampling
            sampling.seed = options.sampling.seed &+ UInt64(choice)
            runs.append(try ChoiceRun(index: choice, promptTokens: promptTokens, budget: budget, sampling: sampling,
                                      stopStrings: options.stopStrings, topLogprobs: options.topLogprobs,
                                      tokenizer: model.tokenizer))
            nextTokens.append(nil)
        }
        for choice in 0..<n { try advance(choice, logits: firstLogits, stopTokens: model.stopTokens) }
    }

    /// Feeds choice `choice` the logits after its latest token.
    func advance(_ choice: Int, logits: UnsafeBufferPointer<Float>, stopTokens: Set<Int32>) throws {
        nextTokens[choice] = try runs[choice].advance(logits: logits, stopTokens: stopTokens, onStep: onStep)
        if nextTokens[choice] == nil { caches[choice] = nil }  // a finished choice's copy is freed at once
        if nextTokens.allSatisfy({ $0 == nil }) { complete(.success(runs.map { $0.result! })) }
    }

    /// Ends the call with its results or an error; later calls are ignored.
    func complete(_ outcome: Result<[GenerationResult], any Error>) {
        guard !isComplete else { return }
        isComplete = true
        completion(outcome)
    }
}
