// The code plugin's filters on records as the engine hands them over: a labeled solution keeps
// only when its tests pass in the sandbox; generated tests keep only when the reference passes
// them; hostile code is rejected with the sandbox's reason, never run outside it.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct CodePluginFilterTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try CodePluginLibrary.load()
    }

    static let tests = "assert add(2, 3) == 5\nassert add(-1, 1) == 0"

    func solution(_ response: String, input: String = tests) -> JSONValue {
        ["instruction": "Write a Python function `add(a, b)`.", "input": .string(input), "response": .string(response)]
    }

    @Test func aCorrectSolutionIsKeptWithFullScore() throws {
        let verdict = try plugin.filter("passes-tests", record: solution("```python\ndef add(a, b):\n    return a + b\n```"))
        #expect(verdict.keep)
        #expect(verdict.score == 1)
    }

    @Test func aWrongSolutionIsRejectedWithTheFailingAssert() throws {
        let verdict = try plugin.filter("passes-tests", record: solution("```python\ndef add(a, b):\n    return a * b\n```"))
        #expect(!verdict.keep)
        #expect(verdict.reason == "failed 2 of 2 tests: line 1 `assert add(2, 3) == 5`: got 6, expected 5; 1 more failed")
        #expect(verdict.score == 0)
    }

    @Test func testsInTheInstructionAreFoundLikeMBPPPrompts() throws {
        let record: JSONValue = [
            "instruction": .string("Write a Python function `add(a, b)`.\nYour code should pass these tests:\n" + Self.tests),
            "response": "def add(a, b):\n    return a + b", "answer": "def add(a, b):\n    return a + b",
        ]
        #expect(try plugin.filter("passes-tests", record: record).keep)
    }

    @Test func recordsWithoutCodeOrTestsAreRejectedWithTheReason() throws {
        #expect(try plugin.filter("passes-tests", record: solution("Just add them.")).reason == "the response holds no Python code to run")
        #expect(try plugin.filter("passes-tests", record: solution("def add(a, b):\n    return a + b", input: "")).reason
            == "no tests to run: the record has no `tests` and no assert statements in `input` or `instruction`")
    }

    @Test func hostileSolutionsAreRejectedWithWhatTheSandboxRefused() throws {
        let socket = try plugin.filter("passes-tests", record: solution("""
            import socket
            def add(a, b):
                socket.create_connection(("203.0.113.1", 80), timeout=1)
                return a + b
            """))
        #expect(socket.reason == "blocked: network access (a socket) is not allowed in test 1 `assert add(2, 3) == 5`")
        let outside = NSTemporaryDirectory() + "retort-filter-escape-" + UUID().uuidString
        let write = try plugin.filter("passes-tests", record: solution("""
            def add(a, b):
                open("\(outside)", "w").write("x")
                return a + b
            """))
        #expect(write.reason == "blocked: writing outside the working directory is not allowed (\(outside)) in test 1 `assert add(2, 3) == 5`")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test func contextLimitsApplyToTheRun() throws {
        let verdict = try plugin.filter("passes-tests", record: solution("import time\ndef add(a, b):\n    time.sleep(30)\n"),
                                        context: ["sandbox": ["timeout_seconds": 1]])
        #expect(verdict.reason?.hasPrefix("timed out: still running after 1 s of wall-clock time") == true)
        do {
            _ = try plugin.filter("passes-tests", record: solution("def add(a, b): return a + b"), context: ["sandbox": ["timeout": 1]])
            Issue.record("an unknown sandbox setting was accepted")
        } catch {
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains("unknown sandbox setting \"timeout\""))
        }
    }

    @Test func generatedTestsMustPassOnTheReference() throws {
        let reference = "def add(a, b):\n    return a + b"
        let good: JSONValue = ["instruction": "add", "input": .string(reference), "response": "assert add(1, 1) == 2\nassert add(0, 5) == 5"]
        #expect(try plugin.filter("tests-pass-reference", record: good).keep)
        let wrong: JSONValue = ["instruction": "add", "input": .string(reference), "response": "assert add(1, 1) == 3"]
        #expect(try plugin.filter("tests-pass-reference", record: wrong).reason
            == "the generated tests are wrong: on the reference solution they failed 1 of 1 tests: line 1 `assert add(1, 1) == 3`: got 2, expected 3")
        let undefined: JSONValue = ["instruction": "add", "input": .string(reference), "response": "assert plus(1, 1) == 2"]
        #expect(try plugin.filter("tests-pass-reference", record: undefined).reason?.contains("NameError: name 'plus' is not defined") == true)
        let none: JSONValue = ["instruction": "add", "input": .string(reference), "response": "Test it with 1 and 1."]
        #expect(try plugin.filter("tests-pass-reference", record: none).reason == "the response holds no assert statements to check")
    }

    @Test func untestableProblemsAreRejectedWithEveryReason() throws {
        #expect(try plugin.filter("testable-problem", record: ["instruction": "Write a Python function `mean(xs)` that returns the average of xs."]).keep)
        let verdict = try plugin.filter("testable-problem", record: ["instruction": "Write a Python function that downloads a file from a URL."])
        #expect(verdict.reason == "the problem needs files, needs the network, so sandboxed unit tests cannot check it")
        #expect(try plugin.filter("testable-problem", record: ["instruction": "Sort it."]).reason?.contains("does not ask for a function") == true)
    }
}
