// The reasoning plugin's filters: `self-consistency` (majority answer over sampled paths, or the
// paths inside one output) and `known-answer` (the generated problem's answer, or a reference),
// each rejection with its reason and the agreement as the score.
import RetortHost
import RetortJSON
import Testing

@Suite struct ReasoningPluginFilterTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ReasoningPluginLibrary.load()
    }

    func consistency(_ record: JSONValue) throws -> LoadedPlugin.FilterVerdict {
        try plugin.filter("self-consistency", record: record)
    }

    @Test func aSolutionAgreeingWithTheMajorityOfSamplesIsKept() throws {
        let verdict = try consistency(["answer": "36", "samples": ["Answer: 36", "36", "So 12 × 3 = 36.\nAnswer: 36 pencils", "Answer: 35"]])
        #expect(verdict.keep)
        #expect(verdict.score == 0.75)
    }

    @Test func aSolutionAgainstTheMajorityIsRejectedWithTheTally() throws {
        let verdict = try consistency(["response": "12 + 24 = 35\nAnswer: 35", "samples": ["Answer: 36", "Answer: 36", "Answer: 35"]])
        #expect(!verdict.keep)
        #expect(verdict.reason == "the final answer 35 is not the majority answer 36 (2 of 3 paths)")
    }

    @Test func pathsInsideOneOutputVote() throws {
        let agreed = "Path 1: 3 × 12 = 36\nAnswer: 36\nPath 2: 12 + 12 + 12 = 36\nAnswer: 36\nPath 3: 4 × 9 = 36\nAnswer: 36\nFinal answer: 36"
        let kept = try consistency(["response": .string(agreed)])
        #expect(kept.keep && kept.score == 1 && kept.reason == nil)
        let split = "Path 1:\nAnswer: 36\nPath 2:\nAnswer: 35\nPath 3:\nAnswer: 34\nFinal answer: 36"
        #expect(try consistency(["response": .string(split)]).reason == "no majority answer among 3 paths: 34 (1), 35 (1), 36 (1)")
        let contradicted = "Path 1:\nAnswer: 36\nPath 2:\nAnswer: 36\nPath 3:\nAnswer: 35\nFinal answer: 35"
        #expect(try consistency(["response": .string(contradicted)]).reason
            == "the final answer 35 is not the majority answer 36 (2 of 3 paths)")
    }

    static let withoutMajority: [(JSONValue, String)] = [
        (["response": "Answer: 36"], "only 1 reasoning path with an answer"),
        (["response": "Path 1: Answer: <number>\nPath 2: Answer: <number>"], "only 0 reasoning paths"),
        (["samples": "36, 36, 35"], "expected an array"),
        (["instruction": "What is 6 × 6?"], "neither \"samples\" nor a string \"response\""),
        (["samples": ["Answer: 1", "Answer: 2", "Answer: 3", "Answer: 3", "Answer: 4", "Answer: 5"]], "has only 2 of 6 paths"),
    ]

    @Test(arguments: withoutMajority)
    func recordsWithoutAMajorityAreRejected(record: JSONValue, reason: String) throws {
        let verdict = try consistency(record)
        #expect(!verdict.keep)
        #expect(verdict.reason?.contains(reason) == true, "\(verdict.reason ?? "kept")")
    }

    @Test func knownAnswerChecksTheGeneratedProblemsAnswer() throws {
        let problem = try #require(try plugin.seedItems("problems").first)
        let instruction = try #require(problem["instruction"]?.stringValue)
        let answer = try #require(problem["answer"]?.stringValue)
        let right = try plugin.filter("known-answer", record: ["instruction": .string(instruction), "response": .string("Work.\nAnswer: \(answer)")])
        #expect(right.keep && right.score == 1)
        let wrong = try plugin.filter("known-answer", record: ["instruction": .string(instruction), "response": "Work.\nAnswer: -1"])
        #expect(wrong.reason == "the answer -1 differs from the known answer \(answer)")
        // The self-knowledge strategy passes the parsed answer.
        #expect(try plugin.filter("known-answer", record: ["instruction": .string(instruction), "answer": .string(answer)]).keep)
    }

    @Test func knownAnswerUsesAReferenceAndRefusesRecordsWithoutOne() throws {
        #expect(try plugin.filter("known-answer", record: ["reference": "Answer: 1,250", "response": "So 1250.\nAnswer: 1250"]).keep)
        let unknown = try plugin.filter("known-answer", record: ["instruction": "What is the meaning of life?", "response": "Answer: 42"])
        #expect(unknown.reason?.hasPrefix("no known answer") == true, "\(unknown.reason ?? "kept")")
        let noAnswer = try plugin.filter("known-answer", record: ["reference": "7", "response": "I am not sure."])
        #expect(noAnswer.reason == "the response has no final answer (\"Answer: …\") to check against 7")
    }
}
