// The instruct plugin's judge parsers (rubric-score, pairwise-verdict, aspect-ratings) on the
// formats their templates ask for, on the variations small judges write instead, and on outputs
// that must be refused: empty, garbage, scores off the scale.
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginJudgeParserTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    // MARK: rubric-score

    @Test func rubricReadsTheRequestedFormat() throws {
        let record = try plugin.parseOne("rubric-score", "Rationale: Correct and clear.\nScore: 8")
        #expect(record == ["score": 8, "rationale": "Correct and clear."])
    }

    @Test(arguments: [
        ("**Rationale:** Right but too long.\n\n**Score:** 7/10", 7.0, "Right but too long."),
        ("Score: 9.5\nRationale: Nearly perfect.", 9.5, "Nearly perfect."),
        ("The answer is accurate.\nScore:\n6", 6.0, "The answer is accurate."),
        ("Rationale: Misses a step.\nScore (1-10): 4", 4.0, "Misses a step."),
        ("I would rate this response 6 out of 10 because it skips a step.", 6.0,
         "I would rate this response 6 out of 10 because it skips a step."),
        ("Score: 3\nOn reflection, it is better than that.\nFinal score: 5", 5.0, "On reflection, it is better than that."),
        ("- Rating: 10", 10.0, ""),
    ])
    func rubricReadsSloppyJudges(output: String, score: Double, rationale: String) throws {
        let record = try plugin.parseOne("rubric-score", output)
        #expect(record["score"] == .number(score))
        #expect(record["rationale"] == .string(rationale))
    }

    @Test(arguments: [
        ("", "empty"),
        ("Great answer!", "no \"Score: N\" line"),
        // SmolLM2-135M-Instruct's greedy answer to the rubric template: it repeats the response.
        ("The capital of Japan is Tokyo.", "no \"Score: N\" line"),
        ("#$%^&*", "no \"Score: N\" line"),
        ("Rationale: Perfect.\nScore: 11", "score 11 is outside 1…10"),
        ("Score: 0", "score 0 is outside 1…10"),
        ("Score: -2", "outside 1…10"),
        ("Score: 4/5", "not on the 1–10 scale"),
        ("Score: <a whole number from 1 to 10>", "has a score label but no number"),
        ("Score: 1-10", "has a score label but no number"),
    ])
    func rubricRefusesUnusableScores(output: String, reason: String) {
        let error = plugin.parseError("rubric-score", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }

    // MARK: pairwise-verdict

    @Test(arguments: [
        ("Rationale: A is correct, B is not.\nVerdict: A", "A", "A is correct, B is not."),
        ("B explains the steps.\n**Verdict:** Response B", "B", "B explains the steps."),
        ("Both are fine.\nVerdict: tie.", "tie", "Both are fine."),
        ("Verdict: [[B]]", "B", ""),
        ("Final verdict: Assistant A is better.", "A", ""),
        ("Winner: (b)", "B", ""),
        ("They are equally good. [[C]]", "tie", "They are equally good."),
        ("Verdict: Tie - neither is better", "tie", ""),
    ])
    func pairwiseReadsVerdicts(output: String, winner: String, rationale: String) throws {
        let record = try plugin.parseOne("pairwise-verdict", output)
        #expect(record["winner"] == .string(winner))
        #expect(record["rationale"] == .string(rationale))
    }

    @Test(arguments: [
        ("", "empty"),
        ("I like both of them.", "no \"Verdict: A|B|tie\" line"),
        ("Verdict: maybe the first", "is not A, B or tie"),
        ("Verdict:", "is not A, B or tie"),
    ])
    func pairwiseRefusesMissingOrUnknownVerdicts(output: String, reason: String) {
        let error = plugin.parseError("pairwise-verdict", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }

    // MARK: aspect-ratings

    @Test func aspectsReadTheRequestedLines() throws {
        let record = try plugin.parseOne("aspect-ratings", "Helpfulness: 4\nHonesty: 5\nInstruction following: 3\nTruthfulness: 2")
        #expect(record == ["helpfulness": 4, "honesty": 5, "instruction_following": 3, "truthfulness": 2])
    }

    @Test func aspectsReadMarkdownBulletsScalesAndComments() throws {
        let output = """
            Here are my ratings:
            - **Helpfulness**: 4/5
            - **Honesty**: 5
            - **Instruction-following**: 3 - it ignores the requested format
            - **Truthfulness** (1-5): 4
            """
        let record = try plugin.parseOne("aspect-ratings", output)
        #expect(record == ["helpfulness": 4, "honesty": 5, "instruction_following": 3, "truthfulness": 4])
    }

    @Test func aspectsReadUltraFeedbackRatingLines() throws {
        let output = """
            1. Helpfulness
            Rating: 4
            Rationale: Useful but brief.
            2. Honesty
            Rating: 5
            3. Instruction Following
            Rating: 2
            4. Truthfulness
            Rating: 3
            """
        let record = try plugin.parseOne("aspect-ratings", output)
        #expect(record == ["helpfulness": 4, "honesty": 5, "instruction_following": 2, "truthfulness": 3])
    }

    @Test(arguments: [
        ("", "empty"),
        ("The response is good.", "no rating for helpfulness, honesty, instruction_following, truthfulness"),
        ("Helpfulness: 4\nInstruction following: 3", "no rating for honesty, truthfulness"),
        ("Helpfulness: 6\nHonesty: 5\nInstruction following: 3\nTruthfulness: 2", "helpfulness rating 6 is outside 1…5"),
        ("Helpfulness: 4\nHonesty: 0\nInstruction following: 3\nTruthfulness: 2", "honesty rating 0 is outside 1…5"),
        ("Helpfulness: 4\nHonesty: 5\nInstruction following: 8/10\nTruthfulness: 2", "not on the 1–5 scale"),
        ("Helpfulness: <1 to 5>\nHonesty: <1 to 5>\nInstruction following: <1 to 5>\nTruthfulness: <1 to 5>", "no rating for helpfulness"),
    ])
    func aspectsRefuseMissingOrOutOfRangeRatings(output: String, reason: String) {
        let error = plugin.parseError("aspect-ratings", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }
}
