// Generation with log-probabilities, several choices and stop strings: the reported numbers are
// the log-softmax of the raw logits, the greedy token is its own top alternative, choice i repeats
// a single run with seed + i, and stop strings never reach the text, streamed or final.
import Foundation
@testable import RetortModels
import RetortTensor
import Testing

@Suite struct GenerationLogprobTests {
    @Test func logSoftmaxRowMatchesTheDefinitionAndOrdersTiesByID() {
        let logits: [Float] = [1, 3, 2.5, 3, -1]
        logits.withUnsafeBufferPointer { buffer in
            let row = LogSoftmaxRow(buffer)
            let normalizer = log(logits.map { exp(Double($0)) }.reduce(0, +))
            #expect(abs(row.logNormalizer - normalizer) < 1e-9)
            #expect(abs(Double(row.logprob(of: 2)) - (2.5 - normalizer)) < 1e-6)
            let top = row.top(3)
            #expect(top.map(\.id) == [1, 3, 2])
            #expect(row.top(10).count == 5, "k beyond the vocabulary returns every id")
            #expect(row.top(0).isEmpty)
            let rest = LogSoftmaxRow.restMass(of: top)
            let expected = 1 - top.reduce(0.0) { $0 + exp(Double($1.logprob)) }
            #expect(abs(Double(rest) - expected) < 1e-6)
            #expect(LogSoftmaxRow.restMass(of: row.top(5)) < 1e-6, "all ids leave no mass")
        }
    }

    @Test func stopStringScannerHoldsBackAPossibleStopAndCutsAtIt() {
        var scanner = StopStringScanner(stopStrings: ["END"])
        var stopped = scanner.append("Hello E")
        let first = scanner.release()
        #expect(!stopped)
        #expect(first.text == "Hello ", "the E might start END")
        #expect(first.tokens == 0..<0, "the token is not final while part of its text is held")
        stopped = scanner.append("x")
        let second = scanner.release()
        #expect(!stopped && second.text == "Ex" && second.tokens == 0..<2)
        stopped = scanner.append(" EN")
        let third = scanner.release()
        #expect(!stopped && third.text == " " && third.tokens == 2..<2)
        stopped = scanner.append("D and more")
        #expect(stopped)
        let last = scanner.finish(trailing: "")
        #expect(last.text == "")
        #expect(last.tokens == 2..<3, "the token holding the stop's start is kept; the one completing it starts after the cut")
        #expect(scanner.finalText == "Hello Ex ")
    }

    @Test func stopStringScannerWithoutStopsReleasesEverything() {
        var scanner = StopStringScanner(stopStrings: [])
        let stopped = [scanner.append("a"), scanner.append("")]
        #expect(stopped == [false, false])
        let released = scanner.release()
        #expect(released.text == "a" && released.tokens == 0..<2)
        #expect(scanner.finish(trailing: "\u{FFFD}").text == "\u{FFFD}")
        #expect(scanner.finalText == "a\u{FFFD}")
    }

    @Test func greedyTokensAreTheirOwnTopAlternativeAndMatchAFullForward() throws {
        try GenerationTestModel.with { lm in
            let prompt = try GenerationTestModel.chatPrompt(lm, "What is the capital of France?")
            let options = GenerationOptions(maxTokens: 8, topLogprobs: 5)
            let result = try #require(try lm.generate(promptTokens: prompt, options: options).first)
            let entries = try #require(result.logprobs)
            #expect(entries.count == result.tokens.count)
            #expect(entries.map(\.id) == result.tokens)
            // A full forward over prompt + completion gives the reference log-softmax.
            let sequence = prompt + result.tokens
            let logits = try lm.model.forward(tokens: sequence, B: 1, T: sequence.count).logits
            let V = lm.model.config.vocabSize
            for (i, entry) in entries.enumerated() {
                #expect(entry.top.count == 5)
                #expect(entry.top[0].id == entry.id, "greedy picks the most likely token")
                #expect(entry.top[0].logprob == entry.logprob)
                #expect(zip(entry.top, entry.top.dropFirst()).allSatisfy { $0.logprob >= $1.logprob })
                let row = Array(UnsafeBufferPointer(start: logits.data + (prompt.count - 1 + i) * V, count: V))
                let maximum = Double(row.max()!)
                let normalizer = maximum + log(row.reduce(0.0) { $0 + exp(Double($1) - maximum) })
                for alternative in entry.top {
                    let reference = Double(row[Int(alternative.id)]) - normalizer
                    #expect(abs(Double(alternative.logprob) - reference) < 2e-3,
                            "position \(i), token \(alternative.id): \(alternative.logprob) vs \(reference)")
                }
            }
        }
    }

    @Test func choiceIRepeatsASingleRunWithSeedPlusI() throws {
        try GenerationTestModel.with { lm in
            let prompt = try GenerationTestModel.chatPrompt(lm, "Name a color.")
            var sampling = SamplingParameters()
            sampling.temperature = 1
            sampling.seed = 40
            var streamed = ["", "", ""]
            let three = try lm.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 6, sampling: sampling, n: 3)) {
                streamed[$0.choice] += $0.text
            }
            #expect(three.count == 3)
            #expect(streamed == three.map(\.text))
            for i in 0..<3 {
                sampling.seed = 40 + UInt64(i)
                let single = try lm.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 6, sampling: sampling))
                #expect(single[0].tokens == three[i].tokens, "choice \(i)")
                #expect(single[0].promptTokens == prompt.count)
            }
            #expect(Set(three.map(\.tokens)).count > 1, "three temperature-1 samples are not all equal")
        }
    }

    @Test func aStopStringEndsTheTextAndIsNeverStreamed() throws {
        try GenerationTestModel.with { lm in
            let prompt = try GenerationTestModel.chatPrompt(lm, "What is the capital of France?")
            let free = try lm.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 10))[0]
            #expect(free.text.contains("Paris"), "greedy answer: \(free.text)")
            var streamed = ""
            var streamedEntries = 0
            let options = GenerationOptions(maxTokens: 10, stopStrings: ["aris"], topLogprobs: 0)
            let stopped = try lm.generate(promptTokens: prompt, options: options) {
                streamed += $0.text
                streamedEntries += $0.logprobs.count
            }[0]
            #expect(stopped.finishReason == .stop)
            #expect(stopped.text == String(free.text[..<free.text.range(of: "aris")!.lowerBound]))
            #expect(streamed == stopped.text)
            #expect(streamedEntries == stopped.logprobs?.count)
            #expect(stopped.logprobs?.allSatisfy { $0.top.isEmpty } == true, "top_logprobs 0 gives the token alone")
        }
    }

    @Test func aPromptThatFillsTheContextIsRefusedBeforeAnyWork() throws {
        try GenerationTestModel.with { lm in
            let prompt = [Int32](repeating: 1, count: lm.contextLength)
            #expect(throws: GenerationError.promptTooLong(promptTokens: lm.contextLength, contextLength: lm.contextLength)) {
                try lm.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 4))
            }
            #expect(throws: GenerationError.invalidOption("n must be at least 1, got 0")) {
                try lm.generate(promptTokens: [1], options: GenerationOptions(maxTokens: 4, n: 0))
            }
            let cancellation = GenerationCancellation()
            cancellation.cancel()
            #expect(throws: CancellationError.self) {
                try lm.generate(promptTokens: [1, 2], options: GenerationOptions(maxTokens: 4), cancellation: cancellation)
            }
        }
    }
}
