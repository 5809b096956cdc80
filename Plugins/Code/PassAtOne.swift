// The pass@1 evaluator (Chen et al., 2021, HumanEval): one sampled program per problem, run
// against the problem's unit tests; pass@1 is 1 when every test passes. Averaged over problems it
// is the share solved on the first try.
import RetortPluginSDK

enum PassAtOne {
    /// `reference` holds the tests (asserts); `prediction` the model's answer, fenced or not.
    static func evaluate(prompt: String, reference: String, prediction: String) throws -> [String: Double] {
        guard let tests = UnitTests.extract(reference) else {
            throw PluginFailure.invalidArgument("pass@1 needs the problem's unit tests (assert statements) as the reference; it was given none")
        }
        guard let code = PythonCode.extract(prediction) else { return ["pass@1": 0, "tests_passed": 0] }
        let verdict = SandboxVerdict(try PythonSandbox.run(code: code, tests: tests, limits: try SandboxLimits()))
        return ["pass@1": verdict.outcome == .passed ? 1 : 0, "tests_passed": verdict.score]
    }
}
