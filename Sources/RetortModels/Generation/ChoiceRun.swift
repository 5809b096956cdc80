// One choice of a generation call, token by token: given the logits after its latest token it
// samples the next one, decodes the text, watches for stop tokens and stop strings, records
// log-probabilities when asked, and says which token the model must run next, or that it is done.
// The decode steps themselves are the scheduler's, so many choices can share them.
import Foundation

struct ChoiceRun {
    let index: Int
    let promptCount: Int
    let budget: Int
    let topLogprobs: Int?
    private var sampler: Sampler
    private var decoder: BPEStreamingDecoder
    private var scanner: StopStringScanner
    private var context: [Int32]
    private var generated: [Int32] = []
    private var logprobs: [GeneratedTokenLogprob] = []
    /// Set once the choice has finished.
    private(set) var result: GenerationResult?

    init(index: Int, promptTokens: [Int32], budget: Int, sampling: SamplingParameters, stopStrings: [String],
         topLogprobs: Int?, tokenizer: BPETokenizer) throws {
        self.index = index
        promptCount = promptTokens.count
        self.budget = budget
        self.topLogprobs = topLogprobs
        sampler = try Sampler(sampling)
        decoder = tokenizer.makeStreamingDecoder()
        scanner = StopStringScanner(stopStrings: stopStrings)
        context = promptTokens
    }

    /// Takes the logits after the latest token (the prompt's last, then each generated one) and
    /// returns the next token for the model to run, or nil when the choice finished (`result` is
    /// then set). `onStep` receives text (and log-probabilities) as they become final.
    mutating func advance(logits: UnsafeBufferPointer<Float>, stopTokens: Set<Int32>,
                          onStep: (GenerationStep) -> Void) throws -> Int32? {
        precondition(result == nil, "a finished choice is advanced no more")
        let token = sampler.next(logits: Array(logits), context: context)
        if stopTokens.contains(token) {
            finish(.stop, hitStopString: false, onStep: onStep)
            return nil
        }
        if let k = topLogprobs { logprobs.append(GeneratedTokenLogprob(token: token, logits: logits, topK: k)) }
        generated.append(token)
        context.append(token)
        if scanner.append(try decoder.push(token)) {
            finish(.stop, hitStopString: true, onStep: onStep)
            return nil
        }
        emit(scanner.release(), onStep: onStep)
        if generated.count == budget {
            finish(.length, hitStopString: false, onStep: onStep)
            return nil
        }
        return token
    }

    private mutating func finish(_ reason: GenerationResult.FinishReason, hitStopString: Bool, onStep: (GenerationStep) -> Void) {
        let last = scanner.finish(trailing: hitStopString ? "" : decoder.finish())
        emit(last, onStep: onStep)
        let kept = topLogprobs == nil ? nil : Array(logprobs[..<last.tokens.upperBound])
        result = GenerationResult(text: scanner.finalText, tokens: generated, promptTokens: promptCount,
                                  finishReason: reason, logprobs: kept)
    }

    private func emit(_ released: (text: String, tokens: Range<Int>), onStep: (GenerationStep) -> Void) {
        let entries = topLogprobs == nil ? [] : Array(logprobs[released.tokens])
        if !released.text.isEmpty || !entries.isEmpty {
            onStep(GenerationStep(choice: index, text: released.text, logprobs: entries))
        }
    }
}
