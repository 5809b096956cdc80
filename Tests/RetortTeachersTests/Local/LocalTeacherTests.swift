// The local teacher as the elicitation engine sees it: identity and capabilities, chat completions
// with seeds, n, stop strings and log-probabilities, usage, the errors a bad request gets, calls
// from several tasks at once, cancellation, and teacher-forced scoring of a completion.
import Foundation
import RetortModels
import RetortTeachers
import Testing

@Suite struct LocalTeacherTests {
    let france = [ChatMessage(role: "user", text: "What is the capital of France?")]

    func greedy(_ messages: [ChatMessage], maxTokens: Int = 8, topLogprobs: Int? = nil, stop: [String] = []) -> TeacherRequest {
        TeacherRequest(messages: messages, maxTokens: maxTokens, sampling: TeacherSampling(temperature: 0), stop: stop,
                       topLogprobs: topLogprobs)
    }

    @Test func identityAndCapabilitiesDescribeAWhiteBoxTextModel() throws {
        let teacher = try LocalTeacherTestModel.teacher()
        #expect(teacher.identity == TeacherIdentity(backend: "local", model: "SmolLM2-135M-Instruct.Q4_1"))
        let c = teacher.capabilities
        #expect(c.fullDistributions && c.hiddenStates && !c.vision)
        #expect(c.maxTopLogprobs == 20)
        #expect(c.maxContext == 8192, "SmolLM2's GGUF says context_length 8192")
    }

    @Test func greedyAnswerWithUsageAndLogprobs() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        let response = try await teacher.complete(greedy(france, topLogprobs: 3))
        #expect(response.model == "SmolLM2-135M-Instruct.Q4_1")
        let choice = try #require(response.choices.first)
        #expect(response.choices.count == 1)
        #expect(choice.text.contains("Paris"), "answer: \(choice.text)")
        #expect(["stop", "length"].contains(choice.finishReason))
        #expect(response.usage.promptTokens == (try teacher.chatPromptTokens(france)).count)
        let logprobs = try #require(choice.logprobs)
        #expect(response.usage.completionTokens == logprobs.count)
        #expect(logprobs.map(\.token).joined() == choice.text, "the tokens spell the text")
        for entry in logprobs {
            #expect(entry.top.count == 3)
            #expect(entry.top[0].token == entry.token && entry.top[0].logprob == entry.logprob, "greedy takes the top token")
            #expect(entry.logprob <= 0)
        }
    }

    @Test func nChoicesRepeatWithTheirSeed() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: "Tell me a word.")], maxTokens: 6,
                                     sampling: TeacherSampling(temperature: 1, seed: 7), n: 3)
        let first = try await teacher.complete(request)
        #expect(first.choices.count == 3)
        #expect(first.usage.completionTokens >= 3)
        let again = try await teacher.complete(request)
        #expect(again.choices.map(\.text) == first.choices.map(\.text), "same seed, same choices")
        // Choice 1 of seed 7 is choice 0 of seed 8.
        var shifted = request
        shifted.n = 1
        shifted.sampling.seed = 8
        #expect(try await teacher.complete(shifted).choices[0].text == first.choices[1].text)
    }

    @Test func aStopStringEndsTheChoice() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        let response = try await teacher.complete(greedy(france, stop: ["Paris"]))
        let choice = try #require(response.choices.first)
        #expect(!choice.text.contains("Paris"))
        #expect(choice.finishReason == "stop")
    }

    @Test func callsFromManyTasksAreServedOneAtATime() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        let request = TeacherRequest(messages: france, maxTokens: 5, sampling: TeacherSampling(temperature: 0.8, seed: 3))
        let alone = try await teacher.complete(request)
        let together = try await withThrowingTaskGroup(of: TeacherResponse.self) { group in
            for _ in 0..<3 { group.addTask { try await teacher.complete(request) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(together.count == 3)
        #expect(together.allSatisfy { $0 == alone }, "concurrent calls do not disturb each other")
    }

    @Test func badRequestsAreRefusedWithTheReason() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        await #expect(throws: TeacherError.invalidRequest("n must be at least 1, got 0")) {
            try await teacher.complete(TeacherRequest(messages: france, n: 0))
        }
        let picture = ChatMessage(role: "user", parts: [.text("What is this?"), .imageURL("data:image/png;base64,AAAA")])
        await #expect(throws: TeacherError.self) { try await teacher.complete(TeacherRequest(messages: [picture])) }
        do {
            _ = try await teacher.complete(TeacherRequest(messages: [picture]))
        } catch let error as TeacherError {
            guard case .unsupported = error else { Issue.record("expected unsupported, got \(error)"); return }
        }
        let long = [ChatMessage(role: "user", text: String(repeating: "hello ", count: 8300))]
        do {
            _ = try await teacher.complete(greedy(long))
            Issue.record("a prompt beyond the context must be refused")
        } catch let error as TeacherError {
            guard case .invalidRequest(let message) = error else { Issue.record("got \(error)"); return }
            #expect(message.contains("8192"), "\(message)")
            #expect(message.contains("\(try teacher.chatPromptTokens(long).count) tokens"), "\(message)")
        }
    }

    @Test func aCancelledTaskStopsTheCall() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        let request = greedy(france, maxTokens: 16)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await teacher.complete(request)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func scoringAGreedyAnswerFindsItsTokensOnTop() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        let answer = try await teacher.complete(greedy(france, maxTokens: 8)).choices[0].text
        let layers = [0, teacher.layerCount]
        let scoring = try await teacher.score(messages: france, completion: answer, topK: 4, layers: layers)
        let d = scoring.distributions
        try d.validate()
        #expect(d.positions > 0)
        #expect(d.tokens == teacher.tokenizer.encode(answer, parseSpecial: false, addSpecial: false))
        for i in 0..<d.positions { #expect(d.ids[i * 4] == d.tokens[i], "position \(i) is the greedy token") }
        for i in 0..<d.positions {
            let kept = (0..<4).reduce(0.0) { $0 + exp(Double(d.logprobs[i * 4 + $1])) }
            #expect(abs(Double(d.restMass[i]) - (1 - kept)) < 1e-5)
        }
        #expect(scoring.hiddenSize == 576)
        #expect(Set(scoring.hiddenStates.keys) == Set(layers))
        #expect(scoring.hiddenStates.values.allSatisfy { $0.count == d.positions * 576 })
        await #expect(throws: TeacherError.self) {
            try await teacher.score(messages: france, completion: answer, topK: 1, layers: [teacher.layerCount + 1])
        }
    }
}
