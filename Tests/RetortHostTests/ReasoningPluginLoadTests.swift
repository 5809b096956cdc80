// The reasoning plugin loads as `retort plugins validate` loads it and declares exactly the
// templates, parsers, filters, evaluator and seeds its README and the knowledge engine rely on.
import RetortHost
import RetortJSON
import Testing

@Suite struct ReasoningPluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ReasoningPluginLibrary.load()
    }

    @Test func manifestDescribesASkillWithStrategiesAndRecommendedObjectives() {
        #expect(plugin.id == "reasoning")
        #expect(plugin.manifest.kind == .skill)
        #expect(plugin.abiVersion == HostABI.versionString)
        #expect(plugin.manifest.raw["license"] == "Apache-2.0")
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling", "self-knowledge"])
        #expect(plugin.manifest.raw["provides"]?["recommended_objectives"]
            == [["name": "sft", "weight": 0.7], ["name": "reverse-kl", "weight": 0.3]])
        #expect(plugin.extensionIDs == ["retort.describe.v1", "retort.templates.v1", "retort.parser.v1", "retort.filter.v1",
                                        "retort.evaluator.v1", "retort.seeds.v1"])
    }

    static let templateContract: [String: (role: String, strategy: String, slots: [String])] = [
        "problem": ("user", "labeling", ["instruction", "input"]),
        "chain-of-thought": ("user", "labeling", ["instruction", "input"]),
        "program-of-thought": ("user", "labeling", ["instruction", "input"]),
        "self-consistency": ("user", "labeling", ["instruction", "input"]),
        "system-step-by-step": ("system", "labeling", []),
        "system-tutor": ("system", "labeling", []),
        "system-detailed": ("system", "labeling", []),
        "system-verify": ("system", "labeling", []),
        "system-brief-reasoning": ("system", "labeling", []),
        "solve": ("user", "self-knowledge", ["instruction"]),
        "solve-program": ("user", "self-knowledge", ["instruction"]),
    ]

    @Test func templatesMatchTheEngineContract() throws {
        #expect(Set(plugin.templates.map(\.descriptor.name)) == Set(Self.templateContract.keys))
        for template in plugin.templates {
            let d = template.descriptor
            let expected = try #require(Self.templateContract[d.name])
            #expect(d.role == expected.role, "\(d.name)")
            #expect(d.strategy == expected.strategy, "\(d.name)")
            #expect(d.slots == expected.slots, "\(d.name)")
            for slot in d.slots { #expect(d.text.contains("{{\(slot)}}"), "\(d.name) never shows slot \(slot)") }
            // Every prompt asks for the line the answer extraction reads (`problem` leaves it to its system message).
            if d.name != "problem" {
                #expect(d.text.contains("Answer: <number>") || d.text.contains("variable named answer"), "\(d.name)")
            }
        }
    }

    @Test func systemMessagesRenderWithoutSlotsAndTheProblemTemplateDropsAnEmptyInput() throws {
        let system = try #require(plugin.templates.first { $0.descriptor.name == "system-tutor" })
        #expect(try system.render([:]).hasPrefix("You are a patient tutor."))
        let problem = try #require(plugin.templates.first { $0.descriptor.name == "chain-of-thought" })
        let text = try problem.render(["instruction": "What is 6 × 7?", "input": ""])
        #expect(text.hasPrefix("Question: What is 6 × 7?\n\nLet's think step by step."))
    }

    @Test func parsersFiltersEvaluatorAndSeedsAreDeclared() {
        let yields = Dictionary(uniqueKeysWithValues: plugin.parsers.map { ($0.name, $0.yields) })
        #expect(yields == [
            "chain-of-thought": ["response", "rationale", "answer"],
            "final-answer": ["answer"],
            "program-of-thought": ["response", "program", "answer", "answer_source"],
        ])
        #expect(plugin.filters.map(\.name) == ["self-consistency", "known-answer"])
        #expect(plugin.evaluators.map(\.name) == ["exact-match"])
        #expect(plugin.evaluators.map(\.metrics) == [["exact_match"]])
        #expect(plugin.seeds.map(\.name) == ["problems", "eval"])
        #expect(plugin.seeds.map(\.kind) == ["tasks", "eval"])
    }

    @Test func unknownItemsAreNotFoundErrorsThatListWhatExists() {
        do {
            _ = try plugin.parse(parser: "tree-of-thought", output: "x")
            Issue.record("expected an error")
        } catch {
            #expect(error.status == .notFound)
            #expect(error.message.contains("chain-of-thought"), "\(error.message)")
        }
    }
}
