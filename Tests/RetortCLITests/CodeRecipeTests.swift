// A smaller run of Examples/recipes/code-tiny.yaml against the embedded teacher: every stage
// stores something, kept solutions really pass their tests (checked again through the plugin),
// and every rejection says why — the parser, the length limit, or the sandbox's verdict. Also
// `retort plugins list` and `inspect` show the plugin.
import Foundation
import RetortHost
import RetortJSON
import RetortKnowledge
import Testing

@Suite(.serialized) struct CodeRecipeTests {
    /// Sandbox verdicts start with one of these (SandboxVerdict in Plugins/Code).
    static let verdicts = ["failed ", "the code ", "the tests ", "timed out", "stopped", "blocked", "the Python process", "no tests"]

    @Test func theTinyCodeRecipeKeepsPassingCodeAndRejectsTheRestWithReasons() throws {
        let outcome = try TinyRecipeRun.run("code-tiny.yaml", limits: ["solve": 2])
        for stage in ["solve", "tests", "attempts"] { #expect(outcome.stored(stage: stage) > 0, "stage \(stage) stored nothing") }
        #expect(!outcome.kept.isEmpty)
        #expect(!outcome.rejected.isEmpty)
        #expect((outcome.kept.map(\.provenance) + outcome.rejected.map(\.provenance)).allSatisfy { $0.plugin == "code" })

        let plugin = try PluginRegistry().load(file: RetortCommand.library("retort_plugin_code"))
        for record in outcome.kept where record.provenance.stage != "tests" {
            let instruction = try #require(record.payload["instruction"])
            let answer = try #require(record.payload["messages"]?.arrayValue?.last?["content"])
            var checked: [String: JSONValue] = ["instruction": instruction, "response": answer]
            if let input = record.payload["input"] { checked["input"] = input }
            #expect(try plugin.filter("passes-tests", record: .object(checked)).keep, "kept \(record.key) fails its tests")
        }
        for rejection in outcome.rejected {
            #expect(!rejection.reason.isEmpty && !rejection.check.isEmpty)
            switch rejection.check {
            case "code.passes-tests", "code.tests-pass-reference":
                #expect(Self.verdicts.contains { rejection.reason.hasPrefix($0) } || rejection.reason.hasPrefix("the generated tests"),
                        "\(rejection.key): \(rejection.reason)")
            case "self-knowledge.filter":
                #expect(rejection.reason.hasPrefix("code.passes-tests: "), "\(rejection.key): \(rejection.reason)")
            default:
                // The engine's own checks: the parser, the token limit, text quality and dedup.
                #expect(["parser", "length", "empty", "charset", "refusal", "dedup.exact", "dedup.near"].contains(rejection.check),
                        "\(rejection.key): unexpected check \(rejection.check)")
            }
        }
    }

    @Test func theCodePluginIsListedAndInspectable() throws {
        try TinyRecipeRun.inspect("code", kind: "skill", expected: [
            "templates": ["solve", "write-tests", "attempt", "refine", "new-problems"],
            "parsers": ["python-code", "unit-tests"], "filters": ["passes-tests", "tests-pass-reference"],
            "evaluators": ["pass-at-1"], "tools": ["run_tests", "sandbox_info"], "seeds": ["problems", "problems-inline", "test-writing"],
        ])
        let info = try RetortCommand.run(["tools", "call", "code.sandbox_info", "--args", "{}"])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("isolation"))
    }
}
