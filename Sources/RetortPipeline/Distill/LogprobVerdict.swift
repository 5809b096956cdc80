// White-box pairwise verdicts. A small teacher rarely writes a verdict the parser can read (the
// embedded 135M model left 9 to 12 of 12 unreadable), but its preference is still in its
// next-token distribution: the judge prompt is rendered with the teacher's chat template, its
// answer turn is opened with "Verdict:", and one forward pass gives P(A) and P(B) for the next
// token (every single-token spelling, " A" and "A"). The preference for A is P(A) / (P(A) + P(B)).
import Foundation
import RetortModels

struct LogprobVerdict: @unchecked Sendable {
    let model: LocalLanguageModel
    let aTokens: [Int32]
    let bTokens: [Int32]

    /// The answer turn starts with this, as the pairwise template's reply format has it.
    static let prefix = "Verdict:"

    init(model: LocalLanguageModel) throws {
        self.model = model
        func singleTokens(_ spellings: [String]) -> [Int32] {
            Array(Set(spellings.compactMap { text -> Int32? in
                let ids = model.tokenizer.encode(text, parseSpecial: false, addSpecial: false)
                return ids.count == 1 ? ids[0] : nil
            })).sorted()
        }
        aTokens = singleTokens([" A", "A"])
        bTokens = singleTokens([" B", "B"])
        guard !aTokens.isEmpty, !bTokens.isEmpty else {
            throw DistillError("the teacher's tokenizer has no single token for \"A\" or \"B\", so its verdict cannot be read from its probabilities; set evaluate.judge.method: text")
        }
    }

    /// P(A) / (P(A) + P(B)) after the judge prompt `prompt` (a user message); nil when the prompt
    /// does not fit the teacher's context.
    func preferenceForA(prompt: String) throws -> Double? {
        let text = try model.chatPrompt([["role": "user", "content": .string(prompt)]]) + Self.prefix
        let tokens = model.tokenizer.encode(text)
        guard !tokens.isEmpty, tokens.count <= model.contextLength else { return nil }
        let logits = try model.model.decode(tokens, cache: model.model.makeCache(capacity: tokens.count)).toArray()
        let chosen = (aTokens + bTokens).map { Double(logits[Int($0)]) }
        let top = chosen.max() ?? 0
        func mass(_ ids: [Int32]) -> Double { ids.reduce(0) { $0 + exp(Double(logits[Int($1)]) - top) } }
        let a = mass(aTokens), b = mass(bTokens)
        return a + b > 0 ? a / (a + b) : nil
    }
}
