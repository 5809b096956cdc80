// The tool-use evaluators: call accuracy (same tool at each position) and argument exact match
// (same tool and the same arguments), over the longer of the reference and predicted call lists.
import RetortHost
import RetortJSON
import Testing

@Suite struct ToolUsePluginEvaluatorTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ToolUsePluginLibrary.load()
    }

    static let reference = """
        [{"name": "lookup", "arguments": {"key": "price:notebook"}}, {"name": "calculator", "arguments": {"expression": "4 * 3.5"}}]
        """

    func scores(_ prediction: String, reference: String = reference) throws -> (Double?, Double?) {
        (try plugin.evaluate("call-accuracy", prompt: "", reference: reference, prediction: prediction)["call_accuracy"],
         try plugin.evaluate("argument-exact-match", prompt: "", reference: reference, prediction: prediction)["argument_exact_match"])
    }

    @Test func anIdenticalTrajectoryScoresOne() throws {
        let prediction = ToolUsePluginLibrary.react([("lookup", ["key": "price:notebook"], nil), ("calculator", ["expression": "4 * 3.5"], nil)],
                                                    final: "14")
        #expect(try scores(prediction) == (1, 1))
        // Member order and number spelling do not matter; the format does not either.
        #expect(try scores("{\"tool_calls\": [{\"function\": {\"name\": \"convert_units\", \"arguments\": \"{\\\"to_unit\\\": \\\"mi\\\", "
                               + "\\\"value\\\": 5.0, \\\"from_unit\\\": \\\"km\\\"}\"}}]}",
                           reference: "[{\"name\": \"convert_units\", \"arguments\": {\"value\": 5, \"from_unit\": \"km\", \"to_unit\": \"mi\"}}]")
            == (1, 1))
    }

    @Test func rightToolsWithOtherArgumentsScoreOnlyOnCalls() throws {
        let prediction = ToolUsePluginLibrary.react([("lookup", ["key": "price:notebook"], nil), ("calculator", ["expression": "3.5*4"], nil)],
                                                    final: "14")
        #expect(try scores(prediction) == (1, 0.5))
    }

    @Test func missingExtraAndWrongCallsLowerBothScores() throws {
        #expect(try scores(ToolUsePluginLibrary.react([("lookup", ["key": "price:notebook"], nil)], final: "3.5")) == (0.5, 0.5))
        let extra = ToolUsePluginLibrary.react([("lookup", ["key": "price:notebook"], nil), ("calculator", ["expression": "4 * 3.5"], nil),
                                                ("calculator", ["expression": "14 + 0"], nil)], final: "14")
        #expect(abs((try scores(extra).0 ?? 0) - 2.0 / 3.0) < 1e-9)
        #expect(try scores(ToolUsePluginLibrary.react([("calculator", ["expression": "4 * 3.5"], nil)], final: "14")) == (0, 0))
        #expect(try scores("I think it costs 14 dollars.") == (0, 0))
    }

    @Test func aReferenceWithoutCallsIsAnInvalidArgument() {
        do {
            _ = try plugin.evaluate("call-accuracy", prompt: "", reference: "14", prediction: "Action: calculator")
            Issue.record("a reference without calls was accepted")
        } catch {
            #expect(error.status == .invalidArgument)
            #expect(error.message.hasPrefix("the reference has no tool calls to compare with"), "\(error.message)")
        }
    }
}
