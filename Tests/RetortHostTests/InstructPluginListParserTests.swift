// The instruct plugin's instruction parsers on what teachers write: clean lists, small-model
// sloppiness (chatter, markdown, mixed numbering, labels, quotes) and outputs with nothing usable.
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginListParserTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    func instructions(_ output: String) throws -> [String] {
        try plugin.parse(parser: "instruction-list", output: output).map { try #require($0["instruction"]?.stringValue) }
    }

    // MARK: instruction-list

    @Test func instructionListReadsANumberedContinuation() throws {
        let output = "9. Write a poem about autumn leaves.\n10. Explain how a bicycle gear works.\n11. List three uses of baking soda."
        #expect(try instructions(output) == [
            "Write a poem about autumn leaves.", "Explain how a bicycle gear works.", "List three uses of baking soda.",
        ])
    }

    @Test func instructionListSurvivesChatterMarkdownLabelsAndQuotes() throws {
        let output = """
            Sure! Here are 4 new tasks:

            1) **Write a short poem about autumn.**
            2) "Explain how vaccines work."
            - Instruction: Give three tips for saving money.
            **4.** Task: Translate 'good night' into French.
            5. Hi

            I hope these help!
            """
        #expect(try instructions(output) == [
            "Write a short poem about autumn.", "Explain how vaccines work.", "Give three tips for saving money.",
            "Translate 'good night' into French.",
        ])
    }

    /// SmolLM2-135M-Instruct's greedy answer to the self-instruct template (three examples, count 3).
    @Test func instructionListReadsTheEmbeddedTeachersRepetitiveOutput() throws {
        let output = """
            1. Write a story about a person who helps others.
            2. Rewrite the sentence in the past tense.
            3. Provide a math problem to a friend.

            Here is the list of tasks:
            1. Write a story about a person who helps others.
            2. Rewrite the sentence in the past tense.
            3. Provide a math problem to a friend.

            The task is to write a story about a person who helps others. The task is to rewrite the sentence in the past tense.
            """
        #expect(try instructions(output) == [
            "Write a story about a person who helps others.", "Rewrite the sentence in the past tense.",
            "Provide a math problem to a friend.",
        ])
    }

    @Test func instructionListTakesOneItemPerLineWithoutNumbering() throws {
        let output = "Write a haiku about snow.\nDescribe your favorite meal in detail.\nok\n3.5 liters is how many cups of water?"
        #expect(try instructions(output) == [
            "Write a haiku about snow.", "Describe your favorite meal in detail.", "3.5 liters is how many cups of water?",
        ])
    }

    @Test func instructionListKeepsABareFirstItemAndJoinsContinuationLines() throws {
        let output = """
            Name three rivers in Africa.
            10. Classify the sentiment of this review.
            Input: The movie was great.
            11. Write a limerick about a frog.

            These tasks cover several kinds of work.
            """
        #expect(try instructions(output) == [
            "Name three rivers in Africa.", "Classify the sentiment of this review. Input: The movie was great.",
            "Write a limerick about a frog.",
        ])
    }

    @Test func instructionListKeepsItemsThatOnlyResembleChatter() throws {
        let output = "1. Surely you know a fact about okapis; share one.\n2. Okapis live where? Describe their forest.\n3. Sure thing!"
        #expect(try instructions(output) == [
            "Surely you know a fact about okapis; share one.", "Okapis live where? Describe their forest.",
        ])
    }

    @Test func instructionListDropsDuplicatesAndTrailingWhitespace() throws {
        let output = "1. Explain what gravity is.   \n2. explain what gravity is.\n3. Explain what gravity is."
        #expect(try instructions(output) == ["Explain what gravity is."])
    }

    @Test(arguments: [
        ("", "empty"),
        ("  \n\t\n", "empty"),
        ("Sure!\nOk.", "found no instruction of at least 3 words"),
        ("1. Hi\n2. Yes please", "found no instruction of at least 3 words"),
        ("%%%% ### ---\n@@ !!", "found no instruction"),
        ("Here are five new tasks:", "found no instruction"),
    ])
    func instructionListRejectsOutputsWithoutInstructions(output: String, reason: String) {
        let error = plugin.parseError("instruction-list", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }

    // MARK: evolved-instruction

    func evolved(_ output: String) throws -> String {
        try #require(try plugin.parseOne("evolved-instruction", output)["instruction"]?.stringValue)
    }

    @Test func evolvedInstructionTakesAPlainRewrite() throws {
        #expect(try evolved("Write a 100-word poem about autumn that names three colors.\n")
            == "Write a 100-word poem about autumn that names three colors.")
    }

    @Test func evolvedInstructionRemovesLabelsChatterQuotesAndComments() throws {
        #expect(try evolved("#Rewritten Prompt#:\nWrite a poem about autumn in exactly four lines.")
            == "Write a poem about autumn in exactly four lines.")
        #expect(try evolved("""
            Sure! Here is the rewritten instruction:

            "Explain how vaccines train the immune system, using one everyday analogy."

            Explanation: I added a requirement for an analogy.
            """) == "Explain how vaccines train the immune system, using one everyday analogy.")
        #expect(try evolved("Rewritten Instruction: **Summarize the text in two sentences for a ten-year-old.**")
            == "Summarize the text in two sentences for a ten-year-old.")
        #expect(try evolved("1. Describe the water cycle in three steps for a child.")
            == "Describe the water cycle in three steps for a child.")
        #expect(try evolved("#The Given Prompt#: Name a fruit.\n#Rewritten Prompt#: Name a tropical fruit that grows on trees.")
            == "Name a tropical fruit that grows on trees.")
    }

    @Test func evolvedInstructionKeepsCodeAndStepsInsideTheInstruction() throws {
        let output = """
            New instruction: Fix the bug in this code and explain the fix in one sentence:
            ```python
            for i in range(3)
                print(i)
            ```
            """
        #expect(try evolved(output) == """
            Fix the bug in this code and explain the fix in one sentence:
            ```python
            for i in range(3)
                print(i)
            ```
            """)
        #expect(try evolved("Plan a picnic:\n1. Choose a park.\n2. List the food.")
            == "Plan a picnic:\n1. Choose a park.\n2. List the food.")
        #expect(try evolved("Summarize the passage in two sentences.\nHere is the passage: Bees make honey.\n\nI hope this helps!")
            == "Summarize the passage in two sentences.\nHere is the passage: Bees make honey.")
    }

    @Test(arguments: [
        ("", "empty"),
        ("I'm sorry, but I can't help with rewriting that.", "refused"),
        ("#Rewritten Prompt#:", "label but no instruction"),
        ("Be brief.", "has 2 words, fewer than 3"),
        ("Sure!\nOk.", "only chatter"),
        ("```\n```", "empty"),
    ])
    func evolvedInstructionRejectsUnusableOutputs(output: String, reason: String) {
        let error = plugin.parseError("evolved-instruction", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }
}
