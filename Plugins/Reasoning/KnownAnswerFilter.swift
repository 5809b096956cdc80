// `known-answer`: keeps a solution only when its final answer equals the problem's known answer —
// rejection sampling of rationales, as STaR (Zelikman et al., 2022) and rejection-sampling
// fine-tuning keep only the teacher's reasoning that reaches the right result. The known answer is
// the record's `reference` (or `expected_answer`), else the answer of the plugin's own generated
// problem with the same instruction; a record with neither is rejected, never waved through.
import RetortPluginSDK

enum KnownAnswerFilter {
    static func judge(_ record: JSONValue) -> Verdict {
        let instruction = record["instruction"]?.stringValue.map(ReasoningText.trimmed)
        let expected: String
        if let reference = record["reference"]?.stringValue ?? record["expected_answer"]?.stringValue {
            expected = AnswerExtraction.comparable(reference)
        } else if let instruction, let known = WordProblems.answersByInstruction[instruction] {
            expected = known
        } else {
            return .reject("no known answer: the record has no \"reference\" and its instruction is not one of the plugin's "
                + "\(WordProblems.training.count + WordProblems.eval.count) generated problems", score: 0)
        }
        let given: String
        if let answer = record["answer"]?.stringValue {
            given = AnswerExtraction.normalize(answer)
        } else if let response = record["response"]?.stringValue {
            guard let found = AnswerExtraction.extract(response) else {
                return .reject("the response has no final answer (\"Answer: …\") to check against \(expected)", score: 0)
            }
            given = AnswerExtraction.normalize(found.text)
        } else {
            return .reject("the record has neither \"answer\" nor a string \"response\"", score: 0)
        }
        guard given == expected else {
            return .reject("the answer \(given.isEmpty ? "(empty)" : given) differs from the known answer \(expected)", score: 0)
        }
        return .keep(score: 1)
    }
}
