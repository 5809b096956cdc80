// The instruct plugin loads and validates as `retort plugins validate` loads it, and declares
// exactly the templates, parsers, filter, evaluators and seeds the knowledge engine relies on.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    @Test func manifestDescribesASkillWithStrategiesAndObjectives() {
        #expect(plugin.id == "instruct")
        #expect(plugin.manifest.kind == .skill)
        #expect(plugin.abiVersion == HostABI.versionString)
        #expect(plugin.manifest.raw["license"] == "Apache-2.0")
        #expect(plugin.manifest.raw["provides"]?["strategies"]
            == ["labeling", "expansion", "curation", "feedback", "self-knowledge"])
        #expect(plugin.manifest.raw["provides"]?["recommended_objectives"]
            == [["name": "sft", "weight": 0.5], ["name": "reverse-kl", "weight": 0.5]])
        #expect(plugin.extensionIDs == ["retort.describe.v1", "retort.templates.v1", "retort.parser.v1", "retort.filter.v1",
                                        "retort.evaluator.v1", "retort.seeds.v1"])
    }

    /// The contract with the knowledge engine: name → (role, strategy, slots in order).
    static let templateContract: [String: (role: String, strategy: String, slots: [String])] = [
        "answer": ("user", "labeling", ["instruction", "input"]),
        "system-step-by-step": ("system", "labeling", []),
        "system-eli5": ("system", "labeling", []),
        "system-concise": ("system", "labeling", []),
        "self-instruct": ("user", "expansion", ["examples", "count"]),
        "evol-constraints": ("user", "expansion", ["instruction"]),
        "evol-deepen": ("user", "expansion", ["instruction"]),
        "evol-concretize": ("user", "expansion", ["instruction"]),
        "evol-reasoning": ("user", "expansion", ["instruction"]),
        "evol-breadth": ("user", "expansion", ["instruction"]),
        "topic-questions": ("user", "curation", ["topic", "count", "knowledge"]),
        "user-simulator": ("user", "curation", ["topic", "conversation"]),
        "rubric": ("user", "feedback", ["instruction", "response"]),
        "pairwise": ("user", "feedback", ["instruction", "response_a", "response_b"]),
        "aspects": ("user", "feedback", ["instruction", "response"]),
        "critique": ("user", "feedback", ["instruction", "response"]),
        "revise": ("user", "feedback", ["instruction", "response", "critique"]),
        "solve": ("user", "self-knowledge", ["instruction"]),
    ]

    @Test func templatesMatchTheEngineContract() throws {
        #expect(Set(plugin.templates.map(\.descriptor.name)) == Set(Self.templateContract.keys))
        for template in plugin.templates {
            let d = template.descriptor
            let expected = try #require(Self.templateContract[d.name])
            #expect(d.role == expected.role, "\(d.name)")
            #expect(d.strategy == expected.strategy, "\(d.name)")
            #expect(d.slots == expected.slots, "\(d.name)")
            #expect(template.qualifiedName == "instruct.\(d.name)")
        }
    }

    /// The slot lists are exact: every declared slot is used (the host already refuses undeclared tags).
    @Test func everyDeclaredSlotIsUsedInItsTemplate() {
        for template in plugin.templates {
            for slot in template.descriptor.slots {
                #expect(template.descriptor.text.contains("{{\(slot)}}"), "\(template.descriptor.name) never shows slot \(slot)")
            }
        }
    }

    @Test func parsersFilterEvaluatorsAndSeedsAreDeclared() {
        let yields = Dictionary(uniqueKeysWithValues: plugin.parsers.map { ($0.name, $0.yields) })
        #expect(yields == [
            "instruction-list": ["instruction"],
            "evolved-instruction": ["instruction"],
            "user-turn": ["message"],
            "rubric-score": ["score", "rationale"],
            "pairwise-verdict": ["winner", "rationale"],
            "aspect-ratings": ["helpfulness", "honesty", "instruction_following", "truthfulness"],
            "final-answer": ["answer"],
        ])
        #expect(plugin.filters.map(\.name) == ["instruction-quality"])
        #expect(plugin.evaluators.map(\.name) == ["rouge-l", "exact-match"])
        #expect(plugin.evaluators.map(\.metrics) == [["rouge_l"], ["exact_match"]])
        #expect(plugin.evaluators.allSatisfy { $0.higherIsBetter })
        #expect(plugin.seeds.map(\.name) == ["tasks", "topics", "problems"])
        #expect(plugin.seeds.map(\.kind) == ["tasks", "topics", "tasks"])
    }

    @Test func registryResolvesQualifiedTemplateNames() throws {
        let registry = PluginRegistry()
        try registry.load(file: InstructPluginLibrary.path)
        let template = try registry.template("instruct.solve")
        #expect(template.descriptor.strategy == "self-knowledge")
        #expect(registry.allParsers.contains("instruct.final-answer"))
        #expect(registry.allFilters == ["instruct.instruction-quality"])
    }

    @Test func unknownItemsAreNotFoundErrorsThatListWhatExists() {
        do {
            _ = try plugin.parse(parser: "no-such-parser", output: "x")
            Issue.record("expected an error")
        } catch {
            #expect(error.status == .notFound)
            #expect(error.message.contains("instruction-list"), "\(error.message)")
        }
    }
}
