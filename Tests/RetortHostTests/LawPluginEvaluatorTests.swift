// Multiple-choice accuracy, citation validity and IRAC structure scores.
import RetortHost
import RetortJSON
import Testing

@Suite struct LawPluginEvaluatorTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try LawPluginLibrary.load()
    }

    @Test func multipleChoiceComparesLetters() throws {
        #expect(try plugin.evaluate("multiple-choice", prompt: "", reference: "b", prediction: "It is an invitation.\nAnswer: B") == ["accuracy": 1])
        #expect(try plugin.evaluate("multiple-choice", prompt: "", reference: "B", prediction: "Answer: C") == ["accuracy": 0])
        #expect(try plugin.evaluate("multiple-choice", prompt: "", reference: "B", prediction: "no idea") == ["accuracy": 0])
        #expect(throws: PluginCallError.self) { try plugin.evaluate("multiple-choice", prompt: "", reference: "", prediction: "A") }
    }

    @Test func citationValidityIsTheShareOfListedCitations() throws {
        #expect(try plugin.evaluate("citation-validity", prompt: "", reference: "",
                                    prediction: "Marbury v. Madison, 5 U.S. 137 (1803) and Smith v. Jones, 1 U.S. 1 (1790).")
            == ["citation_validity": 0.5, "citations": 2])
        #expect(try plugin.evaluate("citation-validity", prompt: "", reference: "", prediction: "No authority needed.")
            == ["citation_validity": 1, "citations": 0])
    }

    @Test func iracStructureCountsSubstantiveParts() throws {
        #expect(try plugin.evaluate("irac-structure", prompt: "", reference: "",
                                    prediction: "Issue: whether it binds them\nRule: offers bind when accepted\nConclusion: it binds them")
            == ["irac_parts": 0.75])
    }
}
