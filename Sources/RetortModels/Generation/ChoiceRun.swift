// One choice of a generation call: sample token after token from a prefilled KV cache, decode the
// text, watch for stop tokens and stop strings, and record log-probabilities when asked.
import Foundation

struct ChoiceRun {
    let index: Int
    let promptTokens: [Int32]
    let budget: Int
    let sampling: SamplingParameters
    let stopStrings: [String]
    let topLogprobs: Int?

    /// `cache` holds the prompt; `firstLogits` are the logits after its last token.
    func generate(with lm: LocalLanguageModel, cache: LlamaKVCache, firstLogits: [Float],
                  cancellation: GenerationCancellation?, onStep: (GenerationStep) -> Void) throws -> GenerationResult {
        var sampler = try Sampler(sampling)
        var decoder = lm.tokenizer.makeStreamingDecoder()
        var scanner = StopStringScanner(stopStrings: stopStrings)
        var context = promptTokens
        var generated: [Int32] = []
        var logprobs: [GeneratedTokenLogprob] = []
        var logits = firstLogits
        var reason = GenerationResult.FinishReason.length
        var hitStopString = false

        func emit(_ released: (text: String, tokens: Range<Int>)) {
            let entries = topLogprobs == nil ? [] : Array(logprobs[released.tokens])
            if !released.text.isEmpty || !entries.isEmpty {
                onStep(GenerationStep(choice: index, text: released.text, logprobs: entries))
            }
        }

        while generated.count < budget {
            if cancellation?.isCancelled == true { throw CancellationError() }
            let token = sampler.next(logits: logits, context: context)
            if lm.stopTokens.contains(token) {
                reason = .stop
                break
            }
            if let k = topLogprobs {
                logprobs.append(logits.withUnsafeBufferPointer { GeneratedTokenLogprob(token: token, logits: $0, topK: k) })
            }
            generated.append(token)
            context.append(token)
            if scanner.append(try decoder.push(token)) {
                reason = .stop
                hitStopString = true
                break
            }
            emit(scanner.release())
            if generated.count == budget { break }
            logits = try lm.model.decode([token], cache: cache).toArray()
        }
        let last = scanner.finish(trailing: hitStopString ? "" : decoder.finish())
        emit(last)
        let kept = topLogprobs == nil ? nil : Array(logprobs[..<last.tokens.upperBound])
        return GenerationResult(text: scanner.finalText, tokens: generated, promptTokens: promptTokens.count,
                                finishReason: reason, logprobs: kept)
    }
}

extension LlamaKVCache {
    /// A new cache of `model` with the same capacity, holding the same tokens.
    func copy(for model: LlamaModel) -> LlamaKVCache {
        let copy = model.makeCache(capacity: capacity)
        for l in 0..<keys.count {
            copy.keys[l].data.update(from: keys[l].data, count: length * keys[l].rowSize)
            copy.values[l].data.update(from: values[l].data, count: length * values[l].rowSize)
        }
        copy.length = length
        return copy
    }
}
