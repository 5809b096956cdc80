// A smaller run of Examples/recipes/rag-tiny.yaml against the embedded teacher: answers are kept
// only when grounded in their search results (checked again through the plugin), rejections say
// why, and the question-writing stage keeps questions. Also list/inspect and the search tool.
import Foundation
import RetortHost
import RetortJSON
import RetortKnowledge
import Testing

@Suite(.serialized) struct RagRecipeTests {
    @Test func theTinyRagRecipeKeepsGroundedAnswersAndRejectsTheRestWithReasons() throws {
        let outcome = try TinyRecipeRun.run("rag-tiny.yaml")
        for stage in ["answer", "questions"] { #expect(outcome.stored(stage: stage) > 0, "stage \(stage) stored nothing") }
        #expect(!outcome.kept.isEmpty)
        #expect(!outcome.rejected.isEmpty)
        let plugin = try PluginRegistry().load(file: RetortCommand.library("retort_plugin_rag"))
        for record in outcome.kept where record.provenance.stage == "answer" {
            let answer = try #require(record.payload["messages"]?.arrayValue?.last?["content"])
            #expect(try plugin.filter("grounded", record: ["input": record.payload["input"] ?? "", "response": answer]).keep)
        }
        #expect(outcome.kept.filter { $0.provenance.stage == "questions" }.allSatisfy { $0.kind == .instruction })
        for rejection in outcome.rejected {
            #expect(!rejection.reason.isEmpty)
            if rejection.check == "rag.grounded" {
                #expect(rejection.reason.hasPrefix("sentence ") || rejection.reason.hasPrefix("cites ") || rejection.reason.hasPrefix("the answer"),
                        "\(rejection.reason)")
            }
        }
    }

    @Test func theRagPluginIsListedAndSearchable() throws {
        try TinyRecipeRun.inspect("rag", kind: "skill", expected: [
            "templates": ["search-augmented", "quote-answer", "passage-questions"], "parsers": ["cited-answer", "question-list"],
            "filters": ["grounded"], "evaluators": ["citation-precision", "answer-correctness"], "tools": ["search", "build_dataset"],
            "seeds": ["questions", "passages"],
        ])
        let search = try RetortCommand.run(["tools", "call", "rag.search", "--args", #"{"query": "Who created Git?", "k": 1, "corpus": ""}"#])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("Linus Torvalds"))
    }
}
