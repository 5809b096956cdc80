// BM25 search through the plugin's `search` tool: every shipped question finds the passage that
// answers it first; scores fall with rank; nonsense finds nothing; bad arguments are errors.
import RetortHost
import RetortJSON
import Testing

@Suite struct RagPluginSearchTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try RagPluginLibrary.load()
    }

    func search(_ query: String, k: Int = 3, corpus: String = "") throws -> JSONValue {
        try plugin.toolReport("search", ["query": .string(query), "k": .number(Double(k)), "corpus": .string(corpus)])
    }

    @Test func everyShippedQuestionRanksItsPassageFirst() throws {
        let questions = try plugin.seedItems("questions")
        for item in questions {
            let question = try #require(item["instruction"]?.stringValue)
            let relevant = try #require(item["relevant"]?.arrayValue?.first?.doubleValue)
            let gold = try #require(item["passages"]?.arrayValue?[Int(relevant) - 1].stringValue)
            let top = try search(question)["results"]?.arrayValue?.first?["id"]?.stringValue
            #expect(top == gold, "\(question) found \(top ?? "nothing") before \(gold)")
        }
    }

    @Test func resultsComeBestFirstWithPositiveScores() throws {
        let results = try #require(try search("Which gas do plants release in photosynthesis?", k: 5)["results"]?.arrayValue)
        let scores = results.compactMap { $0["score"]?.doubleValue }
        #expect(scores.count == results.count && !scores.isEmpty)
        #expect(scores == scores.sorted(by: >))
        #expect(scores.allSatisfy { $0 > 0 })
        #expect(results.first?["title"] == "Photosynthesis")
    }

    @Test func aQueryWithNoIndexedTermFindsNothing() throws {
        #expect(try search("zzzqqq xxyyzz")["results"] == [])
        #expect(try search("the of and")["results"] == [], "stop words alone match nothing")
    }

    @Test func badArgumentsAreErrors() throws {
        #expect(try search("sun", k: 0)["error"]?.stringValue?.contains("k must be from 1 to 50") == true)
        #expect(try search("sun", corpus: "/no/such/corpus")["error"]?.stringValue?.contains("/no/such/corpus does not exist") == true)
    }
}
