// Citation precision against the prompt's results, and answer correctness against the reference.
import RetortHost
import RetortJSON
import Testing

@Suite struct RagPluginEvaluatorTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try RagPluginLibrary.load()
    }

    static let prompt = """
        Search results:
        [1] The Nile: Its two main branches, the White Nile and the Blue Nile, meet at Khartoum in Sudan.

        [2] The piano: A standard modern piano has 88 keys.

        Question: Where do the two Niles meet?
        """

    @Test func citationPrecisionCountsSupportedCitations() throws {
        #expect(try plugin.evaluate("citation-precision", prompt: Self.prompt, reference: "",
                                    prediction: "They meet at Khartoum [1].") == ["citation_precision": 1, "citations": 1])
        #expect(try plugin.evaluate("citation-precision", prompt: Self.prompt, reference: "",
                                    prediction: "They meet at Khartoum [1][2].") == ["citation_precision": 0.5, "citations": 2])
        #expect(try plugin.evaluate("citation-precision", prompt: Self.prompt, reference: "",
                                    prediction: "Khartoum.") == ["citation_precision": 0, "citations": 0])
    }

    @Test func answerCorrectnessIsTokenF1AndContainment() throws {
        #expect(try plugin.evaluate("answer-correctness", prompt: "", reference: "Khartoum",
                                    prediction: "They meet at Khartoum [1].") == ["answer_f1": 0.4, "answer_contains": 1])
        #expect(try plugin.evaluate("answer-correctness", prompt: "", reference: "1,050 euros",
                                    prediction: "1050 euros") == ["answer_f1": 1, "answer_contains": 1])
        #expect(try plugin.evaluate("answer-correctness", prompt: "", reference: "Khartoum", prediction: "Cairo")
            == ["answer_f1": 0, "answer_contains": 0])
    }

    @Test func missingInputsAreErrors() {
        #expect(throws: PluginCallError.self) { try plugin.evaluate("citation-precision", prompt: "no results", reference: "", prediction: "x [1]") }
        #expect(throws: PluginCallError.self) { try plugin.evaluate("answer-correctness", prompt: "", reference: "the", prediction: "x") }
    }
}
