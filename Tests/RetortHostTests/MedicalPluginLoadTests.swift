// The medical plugin loads as `retort plugins validate` loads it and declares exactly the
// templates (in the shapes the feedback and self-knowledge strategies read), parsers, safety
// filters, evaluator and seeds its README describes.
import RetortHost
import RetortJSON
import Testing

@Suite struct MedicalPluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try MedicalPluginLibrary.load()
    }

    @Test func manifestDescribesAVertical() {
        #expect(plugin.id == "medical")
        #expect(plugin.manifest.kind == .vertical)
        #expect(plugin.abiVersion == HostABI.versionString)
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling", "curation", "feedback", "self-knowledge"])
        #expect(plugin.manifest.raw["provides"]?["recommended_objectives"] == [["name": "sft", "weight": 0.8], ["name": "dpo", "weight": 0.2]])
        #expect(plugin.extensionIDs == ["retort.describe.v1", "retort.templates.v1", "retort.parser.v1", "retort.filter.v1",
                                        "retort.evaluator.v1", "retort.seeds.v1"])
    }

    static let templateContract: [String: (role: String, strategy: String, slots: [String])] = [
        "system-clinician": ("system", "labeling", []),
        "system-patient-educator": ("system", "labeling", []),
        "system-exam-tutor": ("system", "labeling", []),
        "structured-answer": ("user", "labeling", ["instruction", "input"]),
        "mcq": ("user", "self-knowledge", ["instruction"]),
        "patient-questions": ("user", "curation", ["topic", "count", "knowledge"]),
        // The feedback strategy's names: `pairwise` + `pairwise-verdict`, `rubric` + `rubric-score`.
        "pairwise": ("user", "feedback", ["instruction", "response_a", "response_b"]),
        "rubric": ("user", "feedback", ["instruction", "response"]),
    ]

    @Test func templatesMatchTheEngineContract() throws {
        #expect(Set(plugin.templates.map(\.descriptor.name)) == Set(Self.templateContract.keys))
        for template in plugin.templates {
            let d = template.descriptor
            let expected = try #require(Self.templateContract[d.name])
            #expect((d.role, d.strategy, d.slots) == (expected.role, expected.strategy, expected.slots), "\(d.name)")
            for slot in d.slots { #expect(d.text.contains("{{\(slot)}}"), "\(d.name) never shows slot \(slot)") }
        }
        let structured = try #require(plugin.templates.first { $0.descriptor.name == "structured-answer" })
        let text = try structured.render(["instruction": "Is a fever of 38 °C dangerous?", "input": ""])
        #expect(text.contains("Answer: <") && text.contains("Rationale: <") && text.contains("Guidance: <"))
    }

    @Test func parsersFiltersEvaluatorAndSeedsAreDeclared() {
        let yields = Dictionary(uniqueKeysWithValues: plugin.parsers.map { ($0.name, $0.yields) })
        #expect(yields == [
            "structured-answer": ["answer", "rationale", "guidance", "response"],
            "mcq-choice": ["answer", "rationale"],
            "question-list": ["instruction"],
            "pairwise-verdict": ["winner", "rationale"],
            "rubric-score": ["score", "rationale"],
        ])
        #expect(plugin.filters.map(\.name) == ["dosing-context", "emergency-signposting", "professional-guidance", "no-false-reassurance"])
        #expect(plugin.evaluators.map(\.name) == ["mcq-accuracy"])
        #expect(plugin.evaluators.map(\.metrics) == [["mcq_accuracy"]])
        #expect(plugin.seeds.map(\.name) == ["topics", "exam", "safety-probes"])
        #expect(plugin.seeds.map(\.kind) == ["topics", "eval", "tasks"])
    }
}
