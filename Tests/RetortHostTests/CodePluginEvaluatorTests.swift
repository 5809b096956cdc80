// pass@1: a prediction's code is run against the reference tests in the sandbox.
import RetortHost
import RetortJSON
import Testing

@Suite struct CodePluginEvaluatorTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try CodePluginLibrary.load()
    }

    static let tests = "assert is_even(4) == True\nassert is_even(7) == False"

    @Test func aCorrectPredictionScoresOne() throws {
        let scores = try plugin.evaluate("pass-at-1", prompt: "is_even", reference: Self.tests,
                                         prediction: "Here:\n```python\ndef is_even(n):\n    return n % 2 == 0\n```")
        #expect(scores == ["pass@1": 1, "tests_passed": 1])
    }

    @Test func aPartlyWrongPredictionScoresZeroWithTheShareOfTestsPassed() throws {
        let scores = try plugin.evaluate("pass-at-1", prompt: "is_even", reference: Self.tests, prediction: "def is_even(n):\n    return True")
        #expect(scores == ["pass@1": 0, "tests_passed": 0.5])
    }

    @Test func aPredictionWithoutCodeScoresZeroAndNoTestsIsAnError() throws {
        #expect(try plugin.evaluate("pass-at-1", prompt: "", reference: Self.tests, prediction: "I don't know.") == ["pass@1": 0, "tests_passed": 0])
        do {
            _ = try plugin.evaluate("pass-at-1", prompt: "", reference: "", prediction: "def f(): pass")
            Issue.record("an empty reference was accepted")
        } catch {
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains("unit tests"))
        }
    }
}
