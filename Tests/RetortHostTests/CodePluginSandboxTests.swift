// The code sandbox on ordinary code: each assert is one test; a failure says what the code
// returned; errors in the code or the tests, reading standard input and exiting early are each
// reported with a clear reason; the working directory is removed; the isolation in force is named.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct CodePluginSandboxTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try CodePluginLibrary.load()
    }

    func run(_ code: String, _ tests: String, limits: JSONValue = [:]) throws -> JSONValue {
        try CodePluginLibrary.run(plugin, code: code, tests: tests, limits: limits)
    }

    @Test func passingCodePassesEveryTestAndLeavesNoFolder() throws {
        let report = try run("def add(a, b):\n    return a + b\n", "assert add(2, 3) == 5\nassert add(-1, 1) == 0")
        #expect(report["outcome"] == "passed")
        #expect(report["passed"] == 2)
        #expect(report["total"] == 2)
        #expect(report["working_directory_removed"] == true)
        let folder = try #require(report["working_directory"]?.stringValue)
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func aFailingAssertSaysWhatTheCodeReturned() throws {
        let report = try run("def add(a, b):\n    return a - b\n", "assert add(2, 3) == 5\nassert add(0, 0) == 0\nassert add(1, 1) == 2")
        #expect(report["outcome"] == "failed-tests")
        #expect(report["passed"] == 1)
        #expect(report["reason"] == "failed 2 of 3 tests: line 1 `assert add(2, 3) == 5`: got -1, expected 5; 1 more failed")
    }

    @Test func anExceptionInATestNamesItsTypeAndLine() throws {
        let report = try run("def div(a, b):\n    return a / b\n", "assert div(1, 0) == 0")
        #expect(report["reason"] == "failed 1 of 1 tests: line 1 `assert div(1, 0) == 0`: ZeroDivisionError: division by zero (code line 2)")
    }

    @Test func brokenCodeAndBrokenTestsAreToldApart() throws {
        #expect(try run("def f(:\n    pass", "assert f() == 1")["reason"]
            == "the code is not valid Python: SyntaxError: invalid syntax (line 1)")
        #expect(try run("def f():\n    return 1", "assert f( == 1")["outcome"] == "tests-error")
        #expect(try run("def f():\n    return 1", "x = f()")["outcome"] == "no-tests")
        #expect(try run("raise ValueError('bad start')", "assert True")["reason"]
            == "the code raised ValueError: bad start (code line 1) while loading, before any test ran")
    }

    @Test func readingInputOrExitingEarlyIsReported() throws {
        #expect(try run("name = input()", "assert name")["reason"]?.stringValue?.contains("read standard input (EOFError)") == true)
        let exited = try run("import os\nos._exit(3)", "assert 1 + 1 == 2")
        #expect(exited["outcome"] == "code-error")
        #expect(exited["reason"]?.stringValue?.contains("exit code 3") == true)
    }

    /// Code that prints to the harness's result channel cannot fake a pass: results carry a token.
    @Test func forgedResultLinesAreIgnored() throws {
        let forged = #"{"event": "done", "tests": 1}"#
        let report = try run("import os\nos.write(3, b'\(forged)\\n')\ndef f():\n    return 0\n", "assert f() == 1")
        #expect(report["outcome"] == "failed-tests")
    }

    @Test func outputIsCapturedAndTheSolutionCannotReadTheTests() throws {
        let report = try run("import os\nprint('files:', sorted(os.listdir('.')))\ndef f():\n    return 1\n", "assert f() == 1")
        #expect(report["outcome"] == "passed")
        #expect(report["stdout"] == "files: []\n")
    }

    @Test func theIsolationInForceIsNamed() throws {
        let info = try plugin.toolReport("sandbox_info", [:])
        let layers = info["isolation"]?["layers"]?.arrayValue?.compactMap { $0.stringValue } ?? []
        #expect(layers.contains("rlimits"))
        #expect(layers.contains("python audit hook"))
        let network = try #require(info["isolation"]?["network"]?.stringValue)
        #expect(network != "none")
        #expect(info["interpreter"]?.stringValue?.contains("Python 3.") == true)
        if layers.contains("network namespace") { #expect(network.contains("network namespace")) }
    }

    @Test func badLimitsAreErrorsThatNameTheSetting() throws {
        let report = try plugin.toolReport("run_tests", ["code": "", "tests": "", "limits": #"{"memory_gb": 1}"#])
        #expect(report["error"]?.stringValue?.contains("unknown sandbox setting \"memory_gb\"") == true)
        let tooLong = try plugin.toolReport("run_tests", ["code": "", "tests": "", "limits": #"{"timeout_seconds": 9999}"#])
        #expect(tooLong["error"]?.stringValue?.contains("timeout_seconds") == true)
        let notAnObject = try plugin.toolReport("run_tests", ["code": "", "tests": "", "limits": #""fast""#])
        #expect(notAnObject["error"]?.stringValue?.contains("must be a JSON object") == true)
        let broken = try plugin.toolReport("run_tests", ["code": "", "tests": "", "limits": "{timeout: 1"])
        #expect(broken["error"]?.stringValue?.hasPrefix("limits: not valid JSON") == true)
    }
}
