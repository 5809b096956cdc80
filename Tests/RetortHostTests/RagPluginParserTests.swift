// The cited-answer parser on what teachers write: citation marks in every common form, marks after
// the full stop, source lists — and answers without citations, with only marks, or with absurd
// numbers.
import RetortHost
import RetortJSON
import Testing

@Suite struct RagPluginParserTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try RagPluginLibrary.load()
    }

    @Test func citationsInEveryCommonFormAreRead() throws {
        let record = try plugin.parseOne("cited-answer", "Light takes about eight minutes [1, 3]. It is fast [Result 2][4]. Really [1-2].")
        #expect(record["citations"] == [1, 3, 2, 4])
        #expect(record["answer"] == "Light takes about eight minutes. It is fast. Really.")
        #expect(record["response"] == "Light takes about eight minutes [1, 3]. It is fast [Result 2][4]. Really [1-2].")
    }

    @Test func answersWithoutUsableCitationsAreRejected() {
        #expect(plugin.parseError("cited-answer", "The Nile meets at Khartoum.")?.message.contains("cites no search result") == true)
        #expect(plugin.parseError("cited-answer", "[1] [2]")?.message.contains("nothing but citation marks") == true)
        #expect(plugin.parseError("cited-answer", "It is [99999999999].")?.message.contains("not a search-result number") == true)
        #expect(plugin.parseError("cited-answer", "   \n")?.message.contains("empty") == true)
        #expect(plugin.parseError("cited-answer", "See [citation needed].")?.message.contains("cites no search result") == true)
    }

    @Test func questionListsLoseMarkersAndChatter() throws {
        let records = try plugin.parse(parser: "question-list", output: """
            Here are three questions:
            1. What gas do plants release?
            2) **Where does photosynthesis happen?**
            - Why?
            Q3: Which pigment makes leaves green?
            """)
        #expect(records.compactMap { $0["instruction"]?.stringValue } == [
            "What gas do plants release?", "Where does photosynthesis happen?", "Which pigment makes leaves green?",
        ])
    }
}
