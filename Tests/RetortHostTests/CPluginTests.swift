// The C example plugin, loaded from its shared library: every extension it offers, called
// through the ABI, including each native tool through libffi.
import RetortHost
import RetortJSON
import Testing

@Suite struct CPluginTests {
    let plugin: LoadedPlugin

    init() throws {
        try BuildProducts.requireBuilt()
        plugin = try PluginRegistry().load(file: BuildProducts.cExample)
    }

    @Test func manifestIsReadAndValidated() {
        #expect(plugin.id == "c-example")
        #expect(plugin.manifest.kind == .skill)
        #expect(plugin.manifest.version == "1.0.0")
        #expect(plugin.manifest.raw["license"]?.stringValue == "Apache-2.0")
        #expect(plugin.abiVersion == HostABI.versionString)
        #expect(plugin.extensionIDs == ["retort.describe.v1", "retort.templates.v1", "retort.parser.v1",
                                        "retort.tools.v1", "retort.seeds.v1"])
    }

    @Test func templateRendersWithItsSlotsAndWithoutHTMLEscaping() throws {
        let template = try #require(plugin.templates.first { $0.descriptor.name == "qa.generate" })
        #expect(template.descriptor.slots == ["topic", "count"])
        let text = try template.render(["topic": "Ohm's law & \"resistance\"", "count": 3])
        #expect(text.hasPrefix("Write 3 question-answer pairs about Ohm's law & \"resistance\"."))
    }

    @Test func templateWithAMissingSlotIsAnError() throws {
        let template = try #require(plugin.templates.first { $0.descriptor.name == "qa.generate" })
        #expect(throws: TemplateError.self) { try template.render(["topic": "magnets"]) }
        do {
            _ = try template.render(["topic": "magnets"])
        } catch {
            #expect(error.message.contains("missing slot 'count'"))
        }
    }

    @Test func parserReadsQuestionAnswerPairs() throws {
        let records = try plugin.parse(parser: "qa-lines", output: """
            Here you go:
            Q: What is evaporation?
            A: Water turning into vapour.
              q: Why does it "rain"?
            A: Droplets grow heavy and fall.
            """)
        #expect(records == [
            ["question": "What is evaporation?", "answer": "Water turning into vapour."],
            ["question": "Why does it \"rain\"?", "answer": "Droplets grow heavy and fall."],
        ])
    }

    @Test(arguments: [
        ("no pairs at all", "no 'Q:' line"),
        ("Q: one\nQ: two\nA: x", "line 2: a new 'Q:'"),
        ("A: an answer without a question", "line 1: an 'A:' without"),
        ("", "no 'Q:' line"),
    ])
    func parserRejectsMalformedOutputWithAReason(output: String, reason: String) {
        do {
            _ = try plugin.parse(parser: "qa-lines", output: output)
            Issue.record("expected a parse error for \(output)")
        } catch {
            #expect(error.status == .parse)
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func unknownParserIsNotFound() {
        do {
            _ = try plugin.parse(parser: "nope", output: "Q: a\nA: b")
            Issue.record("expected an error")
        } catch {
            #expect(error.status == .notFound)
        }
    }

    @Test func missingExtensionIsAClearError() {
        do {
            _ = try plugin.filter("anything", record: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("retort.filter.v1"))
        }
    }

    @Test func seedsAreListedInline() throws {
        let topics = try plugin.seedItems("topics")
        #expect(topics.count == 4)
        #expect(topics.first?["topic"]?.stringValue == "the water cycle")
    }

    @Test(arguments: [
        ("add", #"{"a": 2, "b": 40}"#, JSONValue.number(42)),
        ("add", #"{"a": -2147483648, "b": 0}"#, .number(-2147483648)),
        ("factorial", #"{"n": 20}"#, .number(2432902008176640000)),
        ("celsius_to_fahrenheit", #"{"celsius": 37.5}"#, .number(99.5)),
        ("scale", #"{"value": 1.5, "factor": 2.5}"#, .number(3.75)),
        ("is_prime", #"{"n": 97}"#, .bool(true)),
        ("is_prime", #"{"n": 91}"#, .bool(false)),
        ("word_count", #"{"text": "  one two\tthree\n"}"#, .number(3)),
        ("count_characters", #"{"text": "a é c", "include_spaces": true}"#, .number(5)),
        ("count_characters", #"{"text": "a é c", "include_spaces": false}"#, .number(3)),
        ("reverse", #"{"text": "héllo😀"}"#, .string("😀olléh")),
        ("greeting", "{}", .string("hello from C")),
    ])
    func nativeToolReturnsTheRightValueForEachCType(tool: String, arguments: String, expected: JSONValue) throws {
        #expect(try plugin.callTool(tool, arguments: JSONValue(parsing: arguments)) == expected)
    }

    @Test(arguments: [
        ("add", #"{"a": 2.5, "b": 1}"#, "argument 'a' must be an integer in the int32_t range"),
        ("add", #"{"a": 3000000000, "b": 1}"#, "int32_t range"),
        ("add", #"{"a": 1}"#, "missing argument 'b'"),
        ("add", #"{"a": 1, "b": 2, "c": 3}"#, "unknown argument 'c'"),
        ("add", #"[1, 2]"#, "arguments must be a JSON object"),
        ("is_prime", #"{"n": "7"}"#, "must be an integer"),
        ("word_count", #"{"text": 7}"#, "must be a string"),
        ("word_count", #"{"text": "a\u0000b"}"#, "without NUL"),
        ("count_characters", #"{"text": "a", "include_spaces": 1}"#, "argument 'include_spaces' must be true or false"),
        ("scale", #"{"value": 1e300, "factor": 1}"#, "float range"),
        ("nope", "{}", "no such tool"),
    ])
    func invalidToolArgumentsAreClearErrors(tool: String, arguments: String, message: String) throws {
        let args = try JSONValue(parsing: arguments)
        #expect {
            try plugin.callTool(tool, arguments: args)
        } throws: { error in
            (error as? ToolCallError)?.message.contains(message) == true
        }
    }

    @Test func signatureParserNormalizesPointerSpelling() throws {
        let signature = try ToolSignature(parsing: "bool (bool flag, const char*name)")
        #expect(signature.parameters.map(\.type) == [.bool, .borrowedString])
        #expect(signature.description == "bool (bool flag, const char *name)")
    }
}
