// The instruct plugin's `final-answer` parser: where the answer is found in a worked solution, how
// it is normalized, and which outputs have no answer to give.
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginAnswerTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    @Test(arguments: [
        ("She has 5 + 3 = 8 apples, then gives away 2.\n8 - 2 = 6\nAnswer: 6", "6"),
        ("Total: 1000 dollars.\nAnswer: $1,000.", "1000"),
        ("**Final Answer:** 3.50", "3.5"),
        ("The capital is in the north.\nAnswer:\n  Paris.", "paris"),
        ("Step 1: 8 * 9 = 72\n#### 72", "72"),
        ("So the result is \\boxed{12}.", "12"),
        ("We add them up, so the answer is 15 apples. Great!", "15 apples"),
        ("Answer: 1,250,000 people", "1250000 people"),
        ("Answer: -0.50", "-0.5"),
        ("Answer: +7.0", "7"),
        ("Answer: .5", "0.5"),
        ("Answer: \"Blue Whale\"", "blue whale"),
        ("answer: 3.5 liters.", "3.5 liters"),
        ("First answer: 4. Checking again...\nFinal answer: 5", "5"),
        ("Answer: 007", "7"),
        ("Answer: version 1.2.3 of mp3 player", "version 1.2.3 of mp3 player"),
        ("Answer: **4**", "4"),
        // SmolLM2-135M-Instruct's greedy answer to the solve template (a wrong answer, but an answer).
        ("1. The problem is to find the number of marbles Ana has now.\n2. The answer is 7.\n\nWork:\n"
            + "1. The first step is to find the number of marbles Ana has now.\n\nThe final answer is 7.", "7"),
    ])
    func finalAnswerIsFoundAndNormalized(output: String, answer: String) throws {
        #expect(try plugin.parseOne("final-answer", output) == ["answer": .string(answer)])
    }

    @Test(arguments: [
        ("", "empty"),
        ("   \n", "empty"),
        ("I think it is about fifteen.", "no \"Answer: …\" line"),
        ("%$#@!", "no \"Answer: …\" line"),
        ("Answer:", "followed by nothing"),
        ("Answer: ...", "followed by nothing"),
    ])
    func outputsWithoutAnAnswerAreRefused(output: String, reason: String) {
        let error = plugin.parseError("final-answer", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }
}
