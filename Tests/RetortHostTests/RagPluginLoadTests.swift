// The rag plugin loads and declares its SAIL template, parsers, grounding filter, evaluators,
// tools and seeds: a shipped corpus of 40–80 passages and questions with 4 numbered results each.
import RetortHost
import RetortJSON
import Testing

@Suite struct RagPluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try RagPluginLibrary.load()
    }

    @Test func manifestDescribesARetrievalSkill() {
        #expect(plugin.id == "rag")
        #expect(plugin.manifest.kind == .skill)
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling", "curation"])
        #expect(plugin.manifest.raw["provides"]?["recommended_objectives"]
            == [["name": "sft", "weight": 0.7], ["name": "reverse-kl", "weight": 0.3]])
    }

    @Test func templatesParsersFilterEvaluatorsAndToolsAreDeclared() throws {
        let slots = Dictionary(uniqueKeysWithValues: plugin.templates.map { ($0.descriptor.name, $0.descriptor.slots) })
        #expect(slots == ["system-grounded": [], "search-augmented": ["instruction", "input"], "quote-answer": ["instruction", "input"],
                          "passage-questions": ["topic", "count", "knowledge"]])
        for template in plugin.templates {
            for slot in template.descriptor.slots { #expect(template.descriptor.text.contains("{{\(slot)}}")) }
        }
        #expect(plugin.parsers.map(\.name) == ["cited-answer", "question-list"])
        #expect(plugin.filters.map(\.name) == ["grounded"])
        #expect(plugin.evaluators.map(\.name) == ["citation-precision", "answer-correctness"])
        #expect(plugin.tools.map(\.name) == ["search", "build_dataset"])
        #expect(plugin.seeds.map(\.name) == ["questions", "passages"])
    }

    @Test func theShippedCorpusAndQuestionsHaveTheDocumentedShape() throws {
        let passages = try plugin.seedItems("passages")
        #expect((40...80).contains(passages.count))
        #expect(Set(passages.compactMap { $0["area"]?.stringValue }).count >= 10, "the corpus should span varied topics")
        let questions = try plugin.seedItems("questions")
        #expect(questions.count >= 30)
        for item in questions {
            let input = try #require(item["input"]?.stringValue)
            #expect((1...4).allSatisfy { input.contains("[\($0)] ") }, "\(item["id"]!)")
            // The passage that answers is among the results, and at least one result is a distractor.
            #expect(item["relevant"]?.arrayValue?.count == 1)
            #expect((item["distractors"]?.arrayValue?.count ?? 0) >= 1)
            #expect(item["answer"]?.stringValue?.isEmpty == false)
        }
        // The gold passage is not always first: the order is shuffled per question.
        #expect(Set(questions.compactMap { $0["relevant"]?.arrayValue?.first?.doubleValue }).count > 1)
    }
}

