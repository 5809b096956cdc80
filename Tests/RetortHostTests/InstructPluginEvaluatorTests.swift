// The instruct plugin's evaluators on pairs whose values are known by hand: ROUGE-L's LCS
// F-measure and exact match after final-answer normalization.
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginEvaluatorTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    func rougeL(_ prediction: String, _ reference: String) throws -> Double {
        let scores = try plugin.evaluate("rouge-l", prompt: "", reference: reference, prediction: prediction)
        #expect(Array(scores.keys) == ["rouge_l"])
        return try #require(scores["rouge_l"])
    }

    @Test func rougeLOnKnownPairs() throws {
        #expect(try rougeL("the cat sat on the mat", "the cat sat on the mat") == 1)
        // LCS "the cat on the mat" = 5 of 6 tokens on both sides.
        #expect(abs(try rougeL("the cat is on the mat", "the cat sat on the mat") - 5.0 / 6.0) < 1e-12)
        // LCS "a c": precision 2/4, recall 2/2, F = 2/3.
        #expect(abs(try rougeL("a b c d", "a c") - 2.0 / 3.0) < 1e-12)
        // Order matters: LCS of "c b a" and "a b c" has length 1.
        #expect(abs(try rougeL("c b a", "a b c") - 1.0 / 3.0) < 1e-12)
    }

    @Test func rougeLIgnoresCaseAndPunctuation() throws {
        #expect(try rougeL("Hello, World!", "hello world") == 1)
        #expect(try rougeL("Größe: 3", "größe 3") == 1)
    }

    @Test func rougeLIsZeroWithoutCommonTokensOrWithAnEmptySide() throws {
        #expect(try rougeL("dogs bark", "cats meow") == 0)
        #expect(try rougeL("", "cats meow") == 0)
        #expect(try rougeL("cats meow", "...") == 0)
    }

    func exactMatch(_ prediction: String, _ reference: String) throws -> Double {
        let scores = try plugin.evaluate("exact-match", prompt: "", reference: reference, prediction: prediction)
        return try #require(scores["exact_match"])
    }

    @Test func exactMatchComparesNormalizedFinalAnswers() throws {
        #expect(try exactMatch("Answer: 1,000", "1000") == 1)
        #expect(try exactMatch("The total is 3 + 0.5, so the answer is 3.50.", "3.5") == 1)
        #expect(try exactMatch("Paris", "paris.") == 1)
        #expect(try exactMatch("First 20 - 5 = 15.\nAnswer: 15", "Answer: 15") == 1)
        #expect(try exactMatch("Answer: 41", "42") == 0)
        #expect(try exactMatch("", "42") == 0)
        #expect(try exactMatch("Answer: 42 apples", "42") == 0)
    }

    @Test func exactMatchNeedsAReference() {
        do {
            _ = try plugin.evaluate("exact-match", prompt: "", reference: "  ", prediction: "42")
            Issue.record("expected an error")
        } catch {
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains("reference answer is empty"))
        }
    }
}
