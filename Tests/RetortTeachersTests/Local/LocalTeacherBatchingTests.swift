// Concurrent calls to the local teacher share decode steps: each keeps its own sampling, seed,
// stops, n and log-probabilities and gets exactly the response it gets alone, and cancelling one
// call mid-generation leaves the others untouched.
import Foundation
import RetortModels
import RetortTeachers
import Testing

@Suite struct LocalTeacherBatchingTests {
    static func ask(_ text: String) -> [ChatMessage] { [ChatMessage(role: "user", text: text)] }

    let requests = [
        TeacherRequest(messages: ask("What is the capital of France?"), maxTokens: 8, sampling: TeacherSampling(temperature: 0),
                       topLogprobs: 2),
        TeacherRequest(messages: ask("Tell me a word."), maxTokens: 6, sampling: TeacherSampling(temperature: 1, seed: 7), n: 2),
        TeacherRequest(messages: ask("Describe the sea in one sentence."), maxTokens: 10,
                       sampling: TeacherSampling(temperature: 0.8, topP: 0.9, seed: 21), stop: [","]),
        TeacherRequest(messages: ask("Name three animals."), maxTokens: 7,
                       sampling: TeacherSampling(temperature: 0.6, topK: 30, repetitionPenalty: 1.2, seed: 5), topLogprobs: 0),
        TeacherRequest(messages: ask("What is 2 + 2?"), maxTokens: 5, sampling: TeacherSampling(temperature: 0)),
    ]

    @Test func concurrentCallsGetWhatEachGetsAlone() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        var alone: [TeacherResponse] = []
        for request in requests { alone.append(try await teacher.complete(request)) }
        let together = try await withThrowingTaskGroup(of: (Int, TeacherResponse).self) { group in
            for (i, request) in requests.enumerated() { group.addTask { (i, try await teacher.complete(request)) } }
            return try await group.reduce(into: [Int: TeacherResponse]()) { $0[$1.0] = $1.1 }
        }
        for i in requests.indices {
            #expect(together[i] == alone[i], "request \(i) answered differently beside the others")
        }
        #expect(alone[1].choices.count == 2)
        #expect(alone[0].choices[0].logprobs?.first?.top.count == 2)
    }

    @Test func cancellingOneCallMidGenerationLeavesTheOthers() async throws {
        let teacher = try LocalTeacherTestModel.teacher()
        let short = requests[0], other = requests[4]
        let shortAlone = try await teacher.complete(short), otherAlone = try await teacher.complete(other)

        let long = try teacher.prepare(TeacherRequest(messages: Self.ask("Count from one to three hundred in words, separated by commas."),
                                                      maxTokens: 400, sampling: TeacherSampling(temperature: 0)))
        let (firstStep, signal) = AsyncStream.makeStream(of: Void.self)
        let cancelled = Task { try await teacher.run(long) { _ in signal.yield() } }
        async let shortReply = teacher.complete(short)
        async let otherReply = teacher.complete(other)
        for await _ in firstStep { break }  // the long call is generating
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(try await shortReply == shortAlone)
        #expect(try await otherReply == otherAlone)
    }
}
