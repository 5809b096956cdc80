// The instruct plugin's `user-turn` parser: the simulated user's next message, from clean, labelled
// and over-eager teacher outputs; assistant turns and empty outputs are refused with a reason.
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginTurnParserTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    func message(_ output: String) throws -> String {
        try #require(try plugin.parseOne("user-turn", output)["message"]?.stringValue)
    }

    @Test func aPlainMessageIsKept() throws {
        #expect(try message("Can you give me an example of that?\n") == "Can you give me an example of that?")
    }

    @Test func userLabelsAndQuotesAreRemoved() throws {
        #expect(try message("User: What about in winter?") == "What about in winter?")
        #expect(try message("**User:** \"How long should I boil an egg?\"") == "How long should I boil an egg?")
        #expect(try message("Human: And which one is cheaper?") == "And which one is cheaper?")
        #expect(try message("User's next message: Could you make it shorter?") == "Could you make it shorter?")
    }

    @Test func openersBeforeTheMessageAreDropped() throws {
        #expect(try message("Here is the user's next message:\n\nWhat should I plant in spring?") == "What should I plant in spring?")
        #expect(try message("Sure!\nUser: Is it safe for cats?") == "Is it safe for cats?")
    }

    @Test func aMessageStartingWithSureIsStillTheMessage() throws {
        #expect(try message("Sure, but can you explain it more simply?") == "Sure, but can you explain it more simply?")
    }

    @Test func onlyTheFirstUserTurnIsKeptWhenTheTeacherWritesMore() throws {
        let output = "User: How do plants drink water?\nAssistant: Through their roots.\nUser: And then?"
        #expect(try message(output) == "How do plants drink water?")
        #expect(try message("What is a prime number?\nCould you list a few?\nUser: thanks") == "What is a prime number?\nCould you list a few?")
    }

    @Test(arguments: [
        ("", "empty"),
        ("\n  \n", "empty"),
        ("Assistant: Sure, here is more detail about bees.", "assistant turn"),
        ("**AI:** Honey is made from nectar.", "assistant turn"),
        ("User:", "no message"),
        ("User: \"\"", "no message"),
    ])
    func unusableOutputsAreRefused(output: String, reason: String) {
        let error = plugin.parseError("user-turn", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }
}
