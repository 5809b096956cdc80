// Continuous batching on the real SmolLM2: calls that join a running batch at different steps,
// with their own sampling, seeds, stops, n and log-probabilities, get exactly what each gets alone;
// a cancelled call leaves the others untouched; bad calls are refused before they join.
import Foundation
@testable import RetortModels
import Testing

@Suite struct BatchedGenerationTests {
    struct Call {
        let question: String
        let options: GenerationOptions
        /// Steps of the batch before the call arrives.
        let arrivesAfter: Int
    }

    static func sampling(_ temperature: Float, seed: UInt64, topK: Int = 0, topP: Float = 1, minP: Float = 0,
                         repetitionPenalty: Float = 1) -> SamplingParameters {
        var s = SamplingParameters()
        (s.temperature, s.seed, s.topK, s.topP, s.minP, s.repetitionPenalty) = (temperature, seed, topK, topP, minP, repetitionPenalty)
        return s
    }

    let calls = [
        Call(question: "What is the capital of France?", options: GenerationOptions(maxTokens: 10, topLogprobs: 3), arrivesAfter: 0),
        Call(question: "Name a color.", options: GenerationOptions(maxTokens: 6, sampling: sampling(1, seed: 40), n: 3), arrivesAfter: 0),
        Call(question: "Write one sentence about the sea.",
             options: GenerationOptions(maxTokens: 12, sampling: sampling(0.8, seed: 7, topK: 20, topP: 0.9), stopStrings: ["."]),
             arrivesAfter: 2),
        Call(question: "List three fruits.",
             options: GenerationOptions(maxTokens: 8, sampling: sampling(0.7, seed: 3, minP: 0.05, repetitionPenalty: 1.3), topLogprobs: 0),
             arrivesAfter: 4),
        Call(question: "What is the capital of France?", options: GenerationOptions(maxTokens: 10, stopStrings: ["aris"]), arrivesAfter: 4),
    ]

    /// What a call produced: its results and the text streamed per choice.
    struct Outcome {
        var results: [GenerationResult] = []
        var streamed: [Int: String] = [:]
        var error: (any Error)?
    }

    func expectSame(_ a: Outcome, _ b: Outcome, _ label: String) {
        #expect(a.results.count == b.results.count, "\(label): choice count")
        for (x, y) in zip(a.results, b.results) {
            #expect(x.tokens == y.tokens, "\(label): tokens")
            #expect(x.text == y.text, "\(label): text")
            #expect(x.finishReason == y.finishReason, "\(label): finish reason")
            #expect(x.promptTokens == y.promptTokens, "\(label): prompt tokens")
            #expect(x.logprobs == y.logprobs, "\(label): log-probabilities")
        }
        #expect(a.streamed == b.streamed, "\(label): streamed text")
    }

    func alone(_ lm: LocalLanguageModel, _ call: Call) throws -> Outcome {
        var outcome = Outcome()
        outcome.results = try lm.generate(promptTokens: try GenerationTestModel.chatPrompt(lm, call.question), options: call.options) {
            outcome.streamed[$0.choice, default: ""] += $0.text
        }
        return outcome
    }

    /// Runs `calls` through one scheduler with small step and batch limits, so prompts go in
    /// pieces, calls wait for room, and the batch changes shape from step to step.
    func together(_ lm: LocalLanguageModel, _ calls: [Call], cancelling: Int? = nil, afterStep cancelStep: Int = 0)
        throws -> [Outcome]
    {
        let scheduler = DecodeScheduler(model: lm, workspace: lm.model.makeDecodeWorkspace(), maxStepRows: 24, maxSequences: 5)
        var outcomes = Array(repeating: Outcome(), count: calls.count)
        let cancellations = calls.map { _ in GenerationCancellation() }
        var step = 0
        var pending = Array(calls.indices)
        while !pending.isEmpty || !scheduler.isIdle {
            for i in pending where calls[i].arrivesAfter <= step {
                let job = try GenerationJob(
                    promptTokens: try GenerationTestModel.chatPrompt(lm, calls[i].question), options: calls[i].options, model: lm,
                    cancellation: cancellations[i], onStep: { outcomes[i].streamed[$0.choice, default: ""] += $0.text },
                    completion: { result in
                        switch result {
                        case .success(let results): outcomes[i].results = results
                        case .failure(let error): outcomes[i].error = error
                        }
                    })
                scheduler.add(job)
            }
            pending.removeAll { calls[$0].arrivesAfter <= step }
            if let cancelling, step == cancelStep { cancellations[cancelling].cancel() }
            scheduler.step()
            step += 1
        }
        return outcomes
    }

    @Test func callsSharingStepsGetWhatEachGetsAlone() throws {
        try GenerationTestModel.with { lm in
            let single = try calls.map { try alone(lm, $0) }
            let batched = try together(lm, calls)
            for i in calls.indices {
                #expect(batched[i].error == nil, "call \(i): \(String(describing: batched[i].error))")
                expectSame(batched[i], single[i], "call \(i)")
            }
            #expect(single[0].results[0].text.contains("Paris"), "greedy answer: \(single[0].results[0].text)")
            #expect(Set(single[1].results.map(\.tokens)).count > 1, "three temperature-1 samples are not all equal")
        }
    }

    @Test func aCancelledCallEndsAndTheOthersGoOnUntouched() throws {
        try GenerationTestModel.with { lm in
            let chosen = [calls[0], calls[2], calls[4]]
            let batched = try together(lm, chosen, cancelling: 1, afterStep: 4)
            #expect(batched[1].error is CancellationError, "got \(String(describing: batched[1].error))")
            #expect(batched[1].results.isEmpty)
            for i in [0, 2] {
                #expect(batched[i].error == nil)
                expectSame(batched[i], try alone(lm, chosen[i]), "call \(i)")
            }
        }
    }

    @Test func badCallsAreRefusedBeforeTheyJoinABatch() throws {
        try GenerationTestModel.with { lm in
            func job(_ tokens: [Int32], _ options: GenerationOptions = GenerationOptions(maxTokens: 4)) throws -> GenerationJob {
                try GenerationJob(promptTokens: tokens, options: options, model: lm, cancellation: nil, onStep: { _ in }, completion: { _ in })
            }
            #expect(throws: GenerationError.invalidOption("token id 49152 is outside the vocabulary of 49152")) { try job([1, 49152]) }
            #expect(throws: GenerationError.invalidOption("the prompt is empty")) { try job([]) }
            #expect(throws: GenerationError.promptTooLong(promptTokens: 8192, contextLength: 8192)) {
                try job(Array(repeating: 1, count: 8192))
            }
            #expect(throws: GenerationError.invalidOption("n must be at least 1, got 0")) { try job([1], GenerationOptions(maxTokens: 4, n: 0)) }
        }
    }
}
