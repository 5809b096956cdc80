// The code plugin loads as any plugin does and declares the templates, parsers, filters,
// evaluator, tools and seeds that its recipe and the knowledge engine rely on.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct CodePluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try CodePluginLibrary.load()
    }

    @Test func manifestDescribesACodeSkillWithObjectives() {
        #expect(plugin.id == "code")
        #expect(plugin.manifest.kind == .skill)
        #expect(plugin.abiVersion == HostABI.versionString)
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling", "expansion", "self-knowledge", "feedback", "refinement"])
        #expect(plugin.manifest.raw["provides"]?["recommended_objectives"]
            == [["name": "sft", "weight": 0.8], ["name": "forward-kl", "weight": 0.2]])
        #expect(plugin.extensionIDs == ["retort.describe.v1", "retort.templates.v1", "retort.parser.v1", "retort.filter.v1",
                                        "retort.evaluator.v1", "retort.tools.v1", "retort.seeds.v1"])
    }

    static let templateContract: [String: (role: String, strategy: String, slots: [String])] = [
        "system-python-expert": ("system", "labeling", []),
        "solve": ("user", "labeling", ["instruction", "input"]),
        "write-tests": ("user", "labeling", ["instruction", "input"]),
        "attempt": ("user", "self-knowledge", ["instruction"]),
        "refine": ("user", "feedback", ["instruction", "code", "error"]),
        "new-problems": ("user", "expansion", ["examples", "count"]),
    ]

    @Test func templatesMatchTheEngineContractAndUseEverySlot() throws {
        #expect(Set(plugin.templates.map(\.descriptor.name)) == Set(Self.templateContract.keys))
        for template in plugin.templates {
            let d = template.descriptor
            let expected = try #require(Self.templateContract[d.name])
            #expect(d.role == expected.role && d.strategy == expected.strategy && d.slots == expected.slots, "\(d.name)")
            for slot in d.slots { #expect(d.text.contains("{{\(slot)}}"), "\(d.name) never shows slot \(slot)") }
        }
    }

    @Test func theRefinementPromptCarriesTheExecutionError() throws {
        let template = try #require(plugin.templates.first { $0.descriptor.name == "refine" })
        let prompt = try template.render([
            "instruction": "Write add(a, b).", "code": "def add(a, b):\n    return a - b",
            "error": "failed 1 of 1 tests: line 1 `assert add(2, 3) == 5`: got -1, expected 5",
        ])
        #expect(prompt.contains("got -1, expected 5"))
        #expect(prompt.contains("return a - b"))
    }

    @Test func parsersFiltersEvaluatorToolsAndSeedsAreDeclared() {
        #expect(Dictionary(uniqueKeysWithValues: plugin.parsers.map { ($0.name, $0.yields) }) == [
            "python-code": ["response", "code", "answer", "language", "functions"],
            "unit-tests": ["response", "tests", "count"],
            "problem-list": ["instruction"],
        ])
        #expect(plugin.filters.map(\.name) == ["passes-tests", "tests-pass-reference", "testable-problem"])
        #expect(plugin.evaluators.map(\.name) == ["pass-at-1"])
        #expect(plugin.evaluators.first?.metrics == ["pass@1", "tests_passed"])
        #expect(plugin.tools.map(\.name) == ["run_tests", "sandbox_info"])
        #expect(plugin.seeds.map(\.name) == ["problems", "problems-inline", "test-writing", "eval"])
    }

    @Test func atLeastThirtyProblemsEachWithTestsAndAReference() throws {
        let problems = try plugin.seedItems("problems")
        #expect(problems.count >= 30)
        #expect(Set(problems.compactMap { $0["id"]?.stringValue }).count == problems.count, "problem ids repeat")
        for problem in problems {
            let tests = try #require(problem["input"]?.stringValue)
            #expect(tests.split(separator: "\n").filter { $0.hasPrefix("assert ") }.count >= 3, "\(problem["id"]!)")
            #expect(problem["reference"]?.stringValue?.contains("def ") == true)
            let entry = try #require(problem["entry_point"]?.stringValue)
            #expect(problem["instruction"]?.stringValue?.contains("`\(entry)(") == true, "\(problem["id"]!) never names \(entry)")
        }
        let inline = try plugin.seedItems("problems-inline")
        #expect(inline.allSatisfy { $0["instruction"]?.stringValue?.contains("\nassert ") == true })
    }
}
