// The instruct plugin's `instruction-quality` filter: Self-Instruct's heuristics, each rejection
// with its reason and the share of checks passed as the score.
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginFilterTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    func verdict(_ instruction: String) throws -> LoadedPlugin.FilterVerdict {
        try plugin.filter("instruction-quality", record: ["instruction": .string(instruction)])
    }

    @Test func aGoodInstructionIsKeptWithFullScore() throws {
        let kept = try verdict("Write a short poem about the sea.")
        #expect(kept.keep && kept.score == 1 && kept.reason == nil)
        // Whole words only: "mapping", "profile" and "drawer" are not "map", "file" and "draw".
        #expect(try verdict("Explain the mapping from a user profile to the top drawer.").keep)
    }

    @Test(arguments: [
        ("Hi there", "it has 2 words, fewer than 3"),
        ("- Write a story about a cat.", "starts with the punctuation or symbol \"-\""),
        ("\"Describe your morning routine.\"", "starts with the punctuation"),
        ("3 ways to relax in the evening", "starts with \"3\", not a letter"),
        ("Describe the image below in detail.", "mentions \"image\""),
        ("Plot the sales figures for each month.", "mentions \"plot\""),
        ("Go to the store and buy some milk.", "mentions \"go to\""),
        ("Summarize the attached file in three lines.", "mentions \"file\", \"attached\""),
        ("Classify the following sentences by tone:", "ends with a colon"),
        ("Write a program that adds two numbers.", "starts with \"Write a program\""),
        ("   \n ", "empty or only whitespace"),
    ])
    func badInstructionsAreRejectedWithTheirReason(instruction: String, reason: String) throws {
        let rejected = try verdict(instruction)
        #expect(!rejected.keep)
        #expect(rejected.reason?.contains(reason) == true, "\(rejected.reason ?? "no reason")")
        #expect((rejected.score ?? 1) < 1)
    }

    @Test func tooLongInstructionsAreRejected() throws {
        let rejected = try verdict("Describe " + Array(repeating: "very", count: 149).joined(separator: " ") + " big dogs.")
        #expect(rejected.reason == "it has 152 words, more than 150")
        #expect(rejected.score == 0.8)
    }

    @Test func everyFailedCheckIsNamedAndLowersTheScore() throws {
        let rejected = try verdict("- Draw a map:")
        #expect(rejected.reason == "it starts with the punctuation or symbol \"-\"; it ends with a colon, announcing an input that is not there; "
            + "it mentions \"draw\", \"map\", which a text-only model can neither see, make nor do")
        #expect(rejected.score == 0.4)
    }

    @Test func recordsWithoutAStringInstructionAreRejected() throws {
        let missing = try plugin.filter("instruction-quality", record: ["message": "hello there friend"])
        #expect(missing.reason == "the record's \"instruction\" is missing; expected a string")
        let number = try plugin.filter("instruction-quality", record: ["instruction": 42])
        #expect(number.reason == "the record's \"instruction\" is a number; expected a string")
        #expect(number.score == 0)
    }
}
