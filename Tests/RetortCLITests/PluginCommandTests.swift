// `retort plugins list|inspect|validate`, `retort tools call` and `--version`, run as processes:
// people-readable output by default, JSON with --json, exit code 2 with a one-line error.
import Foundation
import RetortJSON
import Testing

@Suite struct PluginCommandTests {
    let examples = [RetortCommand.library("retort_plugin_c_example"), RetortCommand.library("retort_plugin_swift_example")]

    @Test func versionNamesTheABI() throws {
        let result = try RetortCommand.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("plugin ABI 1.0"))
    }

    @Test func listShowsBothExamplePluginsFromTheExecutableFolder() throws {
        let result = try RetortCommand.run(["plugins", "list"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("c-example"))
        #expect(result.stdout.contains("swift-example"))
    }

    @Test func listAsJSONForScripts() throws {
        let result = try RetortCommand.run(["plugins", "list", "--json", "--plugin-path", examples.joined(separator: ":")])
        let value = try JSONValue(parsing: result.stdout)
        #expect(value["plugins"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["c-example", "swift-example"])
        #expect(value["failures"] == [])
    }

    @Test func environmentVariableIsTheSearchPathWithoutAnOption() throws {
        let result = try RetortCommand.run(["plugins", "list", "--json"], environment: ["RETORT_PLUGIN_PATH": examples[1]])
        let ids = try JSONValue(parsing: result.stdout)["plugins"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(ids == ["swift-example"])
    }

    @Test func listReportsBrokenLibrariesAndStillListsTheRest() throws {
        let broken = RetortCommand.library("retort_fixture_WrongABI")
        let result = try RetortCommand.run(["plugins", "list", "--plugin-path", "\(broken):\(examples[0])"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("c-example"))
        #expect(result.stderr == "error: \(broken): built against Retort plugin ABI 99.0, but this host speaks ABI 1.0; rebuild the plugin against SDK/include/retort/retort.h of this Retort\n")
    }

    @Test func inspectListsWhatAPluginOffers() throws {
        let result = try RetortCommand.run(["plugins", "inspect", "c-example", "--plugin-path", examples[0]])
        #expect(result.status == 0)
        for expected in ["qa.generate", "qa-lines", "int32_t (int32_t a, int32_t b)", "topics", "strategies: curation",
                         "recommended objectives:\n  1 × sft  (built in)"] {
            #expect(result.stdout.contains(expected), "missing \(expected)")
        }
        let swift = try RetortCommand.run(["plugins", "inspect", "swift-example", "--plugin-path", examples[1]])
        #expect(swift.stdout.contains("1 × label-smoothed-ce  (this plugin's, through retort.objective.v1)"), "\(swift.stdout)")
        let json = try RetortCommand.run(["plugins", "inspect", "swift-example", "--json", "--plugin-path", examples[1]])
        let value = try JSONValue(parsing: json.stdout)
        #expect(value["objectives"]?.arrayValue?.first?["name"] == "label-smoothed-ce")
        #expect(value["evaluators"]?.arrayValue?.first?["metrics"] == ["f1"])
    }

    @Test func inspectOfAnUnknownIDFails() throws {
        let result = try RetortCommand.run(["plugins", "inspect", "nope", "--plugin-path", examples[0]])
        #expect(result.status == 2)
        #expect(result.stderr == "error: no plugin with id 'nope'; loaded: c-example\n")
    }

    @Test func validateAcceptsAGoodPlugin() throws {
        let result = try RetortCommand.run(["plugins", "validate", examples[1]])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("ok: swift-example 1.0.0"))
    }

    @Test(arguments: [
        ("WrongABI", "ABI 99.0, but this host speaks ABI 1.0"),
        ("NoEntry", "exports no `retort_plugin_entry` symbol"),
        ("NullFunction", "`entry deinit` is NULL"),
        ("NullExtensionFunction", "`retort.parser.v1 parse` is NULL"),
        ("BadManifest", "returned JSON that does not parse"),
        ("IncompleteManifest", "missing field \"kind\""),
    ])
    func validateRejectsEachBrokenFixtureWithExitCode2(fixture: String, message: String) throws {
        let path = RetortCommand.library("retort_fixture_\(fixture)")
        let result = try RetortCommand.run(["plugins", "validate", path])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(path): "))
        #expect(result.stderr.contains(message))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: [
        ("c-example.add", #"{"a": 20, "b": 22}"#, "42"),
        ("c-example.factorial", #"{"n": 10}"#, "3628800"),
        ("c-example.celsius_to_fahrenheit", #"{"celsius": -40}"#, "-40"),
        ("c-example.scale", #"{"value": 0.5, "factor": 3}"#, "1.5"),
        ("c-example.is_prime", #"{"n": 7919}"#, "true"),
        ("c-example.word_count", #"{"text": "a b c d"}"#, "4"),
        ("c-example.count_characters", #"{"text": "a b", "include_spaces": false}"#, "2"),
        ("c-example.reverse", #"{"text": "abc"}"#, #""cba""#),
        ("c-example.greeting", "{}", #""hello from C""#),
    ])
    func toolsCallPrintsTheJSONResult(tool: String, arguments: String, expected: String) throws {
        let result = try RetortCommand.run(["tools", "call", tool, "--args", arguments, "--plugin-path", examples[0]])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected + "\n")
    }

    @Test(arguments: [
        ("c-example.add", #"{"a": "two", "b": 2}"#, "argument 'a' must be an integer"),
        ("c-example.add", #"{"a": 1"#, "--args is not valid JSON at line 1, column 8"),
        ("c-example.missing", "{}", "no such tool"),
        ("nope.add", "{}", "no plugin with id 'nope'"),
        ("add", "{}", "not a qualified tool name"),
    ])
    func toolsCallWithBadInputFailsWithExitCode2(tool: String, arguments: String, message: String) throws {
        let result = try RetortCommand.run(["tools", "call", tool, "--args", arguments, "--plugin-path", examples[0]])
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

@Suite struct CheckCommandTests {
    @Test func checkGradientsCoversOpsBuiltInAndPluginObjectives() throws {
        let plugin = RetortCommand.library("retort_plugin_swift_example")
        let result = try RetortCommand.run(["check", "gradients", "--json", "--plugin-path", plugin])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(JSONValue(parsing: result.stdout).arrayValue)
        let groups = Set(rows.compactMap { $0["group"]?.stringValue })
        #expect(groups == ["op", "model", "objective", "plugin objective"])
        #expect(rows.contains { $0["name"] == "swift-example.label-smoothed-ce" && $0["passed"] == true })
        #expect(rows.allSatisfy { $0["passed"] == true })
    }

    @Test func filterSelectsChecks() throws {
        let result = try RetortCommand.run(["check", "gradients", "--filter", "rmsnorm"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("rmsnorm"))
        #expect(result.stdout.contains("1 passed, 0 failed"))
    }
}

@Suite struct GenerateCommandTests {
    static var modelPresent: Bool {
        let folder = ProcessInfo.processInfo.environment["RETORT_MODELS"]
            ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models"
        return FileManager.default.fileExists(atPath: folder + "/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    @Test(.enabled(if: modelPresent, "SmolLM2 is not in the models folder; run `retort models pull smollm2-135m-instruct` (make setup does)"))
    func smolLM2AnswersThatTheCapitalOfFranceIsParis() throws {
        let result = try RetortCommand.run(["generate", "--model", "smollm2-135m-instruct", "--chat", "--prompt",
                                            "What is the capital of France?", "--temperature", "0", "--max-tokens", "16", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let value = try JSONValue(parsing: result.stdout)
        #expect(value["text"]?.stringValue?.contains("Paris") == true, "\(result.stdout)")
        #expect(value["finish_reason"] == "stop")
    }

    @Test func unknownModelsAndBadParametersFailWithExitCode2() throws {
        let missing = try RetortCommand.run(["generate", "--model", "no-such-model", "--prompt", "hi"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no model named no-such-model"))
        let bad = try RetortCommand.run(["generate", "--model", "no-such-model", "--prompt", "hi", "--top-p", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("top_p must be in (0, 1]"))
    }
}

@Suite struct TokenizeCommandTests {
    @Test(.enabled(if: GenerateCommandTests.modelPresent, "SmolLM2 is not in the models folder (make setup pulls it)"))
    func tokenizeShowsIDsAndPiecesAndCanTreatSpecialsAsText() throws {
        let result = try RetortCommand.run(["tokenize", "--model", "smollm2-135m-instruct", "--json", "<|im_start|>Hello world"])
        #expect(result.status == 0, "\(result.stderr)")
        let value = try JSONValue(parsing: result.stdout)
        #expect(value["ids"] == [1, 19556, 905])
        #expect(value["tokens"] == ["<|im_start|>", "Hello", "Ġworld"])
        let plain = try RetortCommand.run(["tokenize", "--model", "smollm2-135m-instruct", "--json", "--no-special", "<|im_start|>"])
        #expect(try JSONValue(parsing: plain.stdout)["ids"]?.arrayValue?.count ?? 0 > 1)
    }
}

@Suite struct ChatCommandTests {
    @Test(.enabled(if: GenerateCommandTests.modelPresent, "SmolLM2 is not in the models folder (make setup pulls it)"))
    func chatAnswersEachLineWithTheConversationSoFar() throws {
        let result = try RetortCommand.run(["chat", "--model", "smollm2-135m-instruct", "--temperature", "0", "--max-tokens", "16"],
                                           input: "What is the capital of France?\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Paris"), "\(result.stdout)")
    }
}
