// Every seed problem is sound: its reference solution passes its tests in the sandbox, and the
// tests really check something (a stub that returns None fails at least one of each problem's).
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct CodePluginSeedTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try CodePluginLibrary.load()
    }

    /// All problems in one program (their function names are distinct): one sandbox run.
    func runAll(solutions: (JSONValue) -> String) throws -> (report: JSONValue, lines: [String: [Int]]) {
        let problems = try plugin.seedItems("problems")
        var tests: [String] = []
        var lines: [String: [Int]] = [:]
        for problem in problems {
            let id = problem["id"]!.stringValue!
            for line in problem["input"]!.stringValue!.split(separator: "\n") {
                tests.append(String(line))
                lines[id, default: []].append(tests.count)
            }
        }
        let code = problems.map(solutions).joined(separator: "\n\n")
        return (try CodePluginLibrary.run(plugin, code: code, tests: tests.joined(separator: "\n"), limits: ["timeout_seconds": 60]), lines)
    }

    @Test func everyReferenceSolutionPassesItsTests() throws {
        let (report, _) = try runAll { $0["reference"]!.stringValue! }
        #expect(report["outcome"] == "passed", "\(report["reason"] ?? "")")
    }

    @Test func everyProblemsTestsRejectAStub() throws {
        let (report, lines) = try runAll { problem in
            let entry = problem["entry_point"]!.stringValue!
            return "def \(entry)(*args, **kwargs):\n    return None"
        }
        let failed = Set((report["tests"]?.arrayValue ?? []).filter { $0["passed"] == false }.compactMap { $0["line"]?.doubleValue }.map(Int.init))
        for (id, problemLines) in lines {
            #expect(problemLines.contains(where: failed.contains), "the tests of \(id) pass a stub that returns None")
        }
    }

    /// The passes-tests filter finds exactly the problem's asserts in an MBPP-style instruction.
    @Test func inlineInstructionsYieldExactlyTheProblemsTests() throws {
        let problems = try plugin.seedItems("problems")
        let inline = try plugin.seedItems("problems-inline")
        #expect(inline.count == problems.count)
        for (problem, item) in zip(problems, inline) {
            let found = try plugin.parse(parser: "unit-tests", output: item["instruction"]!.stringValue!).first?["tests"]?.stringValue
            #expect(found == problem["input"]?.stringValue, "\(problem["id"]!)")
        }
    }

    @Test func testWritingSeedsCarryTheReferenceAsInput() throws {
        let items = try plugin.seedItems("test-writing")
        #expect(items.count == (try plugin.seedItems("problems")).count)
        #expect(items.allSatisfy { $0["input"]?.stringValue?.hasPrefix("def ") == true })
    }
}
