// Execution-verified filtering: a record is kept only when its code really passes its tests in the
// sandbox (`passes-tests`), or when teacher-written tests really pass on the reference solution
// (`tests-pass-reference`). The rejection reason is the sandbox's verdict: the failing assert with
// what the code returned, the limit that stopped it, or what the sandbox refused.
import RetortPluginSDK

enum ExecutionFilters {
    /// Keeps a solution whose code passes its tests. The code is the record's `code`, else the
    /// Python in `response` (or `answer`); the tests are `tests`, else the asserts in `input`, else
    /// those in `instruction` (MBPP-style prompts list them there).
    static func passesTests(_ record: JSONValue, _ context: JSONValue) throws -> Verdict {
        guard let code = solution(in: record) else {
            return .reject("the response holds no Python code to run", score: 0)
        }
        guard let tests = tests(in: record) else {
            return .reject("no tests to run: the record has no `tests` and no assert statements in `input` or `instruction`", score: 0)
        }
        let verdict = SandboxVerdict(try PythonSandbox.run(code: code, tests: tests, limits: try SandboxLimits(context["sandbox"])))
        return verdict.outcome == .passed ? .keep(score: 1) : .reject(verdict.reason, score: verdict.score)
    }

    /// Keeps generated tests that pass on the reference solution (the record's `reference`, else
    /// its `input`): a wrong expected value or a call of a function that does not exist rejects them.
    static func testsPassReference(_ record: JSONValue, _ context: JSONValue) throws -> Verdict {
        let written = record["tests"]?.stringValue ?? record["response"]?.stringValue ?? ""
        guard let tests = UnitTests.extract(written) else {
            return .reject("the response holds no assert statements to check", score: 0)
        }
        guard let reference = (record["reference"]?.stringValue).flatMap(PythonCode.extract)
            ?? (record["input"]?.stringValue).flatMap(PythonCode.extract) else {
            return .reject("no reference solution to check the tests with: the record has no Python code in `reference` or `input`", score: 0)
        }
        let verdict = SandboxVerdict(try PythonSandbox.run(code: reference, tests: tests, limits: try SandboxLimits(context["sandbox"])))
        switch verdict.outcome {
        case .passed: return .keep(score: 1)
        case .failedTests: return .reject("the generated tests are wrong: on the reference solution they \(verdict.reason)", score: verdict.score)
        default: return .reject("the generated tests do not run on the reference solution: \(verdict.reason)", score: verdict.score)
        }
    }

    static func solution(in record: JSONValue) -> String? {
        if let code = record["code"]?.stringValue, !code.isEmpty { return code }
        for key in ["response", "answer"] {
            if let text = record[key]?.stringValue, let code = PythonCode.extract(text), !code.isEmpty { return code }
        }
        return nil
    }

    static func tests(in record: JSONValue) -> String? {
        if let tests = record["tests"]?.stringValue, let found = UnitTests.extract(tests) { return found }
        for key in ["input", "instruction"] {
            if let text = record[key]?.stringValue, let found = UnitTests.extract(text) { return found }
        }
        return nil
    }
}
