// The white-box verdict: the preference for A read after "Verdict:" in the teacher's answer turn is
// P(A) / (P(A) + P(B)) over every single-token spelling of each letter, the same numbers the
// teacher-forced scoring path gives for those tokens.
import Foundation
import RetortModels
@testable import RetortPipeline
import Testing

@Suite struct LogprobVerdictTests {
    @Test func thePreferenceIsTheTeachersProbabilityOfAAgainstB() throws {
        let path = BundleFixtures.smolLM2
        guard FileManager.default.fileExists(atPath: path) else {
            throw BundleFixtures.Missing(description: "SmolLM2 model missing at \(path): run `make setup` (or set RETORT_TEST_GGUF)")
        }
        let model = try LocalLanguageModel(modelPath: path)
        let verdict = try LogprobVerdict(model: model)
        #expect(verdict.aTokens.count == 2 && verdict.bTokens.count == 2, "\" A\" and \"A\", \" B\" and \"B\" are single tokens in SmolLM2")
        let prompt = """
            Two responses answer the same instruction. Which one is better?

            Instruction:
            What is the capital of France?

            Response A:
            The capital of France is Paris.

            Response B:
            Bananas are yellow.

            Reply in exactly this format:
            Rationale: <one or two sentences>
            Verdict: <A, B or tie>
            """
        let preference = try #require(try verdict.preferenceForA(prompt: prompt))
        let tokens = model.tokenizer.encode(try model.chatPrompt([["role": "user", "content": .string(prompt)]]) + LogprobVerdict.prefix)
        func probability(_ ids: [Int32]) throws -> Double {
            try ids.reduce(0) { sum, id in
                sum + exp(Double(try model.score(promptTokens: tokens, completionTokens: [id], topK: 1).tokenLogprobs[0]))
            }
        }
        let a = try probability(verdict.aTokens), b = try probability(verdict.bTokens)
        #expect(abs(preference - a / (a + b)) < 1e-4, "\(preference) vs \(a / (a + b))")
        #expect(a + b > 0.01, "after \"Verdict:\" the teacher should put some mass on A or B: \(a + b)")
        // A prompt longer than the context has no preference.
        #expect(try verdict.preferenceForA(prompt: String(repeating: "word ", count: model.contextLength + 10)) == nil)
    }
}
