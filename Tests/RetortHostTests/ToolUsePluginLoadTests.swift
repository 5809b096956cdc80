// The tool-use plugin, written in C, loads through the same ABI as every plugin: its manifest,
// templates (with the tool table rendered into them), parsers, filters, evaluators, ten native
// tools whose prototypes the host resolved with dlsym, and its seeds.
import RetortHost
import RetortJSON
import Testing

@Suite struct ToolUsePluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ToolUsePluginLibrary.load()
    }

    @Test func manifestDescribesASkillWrittenInC() {
        #expect(plugin.id == "tool-use")
        #expect(plugin.manifest.kind == .skill)
        #expect(plugin.abiVersion == HostABI.versionString)
        #expect(plugin.manifest.raw["license"] == "Apache-2.0")
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling", "curation"])
        #expect(plugin.manifest.raw["provides"]?["recommended_objectives"] == [["name": "sft", "weight": 1]])
        #expect(plugin.extensionIDs == ["retort.describe.v1", "retort.templates.v1", "retort.parser.v1", "retort.filter.v1",
                                        "retort.evaluator.v1", "retort.tools.v1", "retort.seeds.v1"])
    }

    static let tools: [String: String] = [
        "calculator": "char * (const char *expression)",
        "convert_units": "char * (double value, const char *from_unit, const char *to_unit)",
        "date_add": "char * (const char *date, int32_t days)",
        "date_diff": "char * (const char *start_date, const char *end_date)",
        "weekday": "char * (const char *date)",
        "text_stats": "char * (const char *text)",
        "transform_text": "char * (const char *text, const char *operation)",
        "count_occurrences": "char * (const char *text, const char *substring, bool case_sensitive)",
        "lookup": "char * (const char *key)",
        "list_keys": "char * (const char *prefix)",
    ]

    @Test func everyToolHasAStrictSchemaMatchingItsPrototype() throws {
        #expect(Dictionary(uniqueKeysWithValues: plugin.tools.map { ($0.name, $0.signature.description) }) == Self.tools)
        for tool in plugin.tools {
            let schema = tool.parameters
            #expect(schema["type"] == "object", "\(tool.name)")
            #expect(schema["additionalProperties"] == false, "\(tool.name)")
            let properties = try #require(schema["properties"]?.objectValue, "\(tool.name)")
            #expect(properties.keys.sorted() == tool.signature.parameters.map(\.name).sorted(), "\(tool.name)")
            #expect(schema["required"]?.arrayValue?.compactMap(\.stringValue) == tool.signature.parameters.map(\.name), "\(tool.name)")
            for parameter in tool.signature.parameters {
                let type = properties[parameter.name]?["type"]?.stringValue
                let expected = switch parameter.type {
                case .borrowedString: "string"
                case .double: "number"
                case .int32: "integer"
                case .bool: "boolean"
                default: "?"
                }
                #expect(type == expected, "\(tool.name).\(parameter.name)")
            }
            #expect(tool.symbol == "tool_use_\(tool.name)")
        }
    }

    static let templateContract: [String: (role: String, strategy: String, slots: [String])] = [
        "system-function-calling": ("system", "labeling", []),
        "function-calling": ("user", "labeling", ["instruction", "input"]),
        "system-react": ("system", "labeling", []),
        "react": ("user", "labeling", ["instruction", "input"]),
        "system-planner": ("system", "labeling", []),
        "plan": ("user", "labeling", ["instruction", "input"]),
        "task-ideas": ("user", "curation", ["topic", "count", "knowledge"]),
    ]

    @Test func templatesMatchTheEngineContractAndListEveryTool() throws {
        #expect(Set(plugin.templates.map(\.descriptor.name)) == Set(Self.templateContract.keys))
        for template in plugin.templates {
            let d = template.descriptor
            let expected = try #require(Self.templateContract[d.name])
            #expect((d.role, d.strategy, d.slots) == (expected.role, expected.strategy, expected.slots), "\(d.name)")
            for slot in d.slots { #expect(d.text.contains("{{\(slot)}}"), "\(d.name) never shows slot \(slot)") }
            if d.role == "system" {
                for tool in Self.tools.keys { #expect(d.text.contains(tool), "\(d.name) does not list \(tool)") }
            }
        }
    }

    @Test func theFunctionCallingSystemPromptEmbedsValidOpenAIToolDefinitions() throws {
        let text = try #require(plugin.templates.first { $0.descriptor.name == "system-function-calling" }).render([:])
        let start = try #require(text.firstIndex(of: "["))
        let end = try #require(text.range(of: "}}]\n")?.upperBound)
        let tools = try JSONValue(parsing: String(text[start..<text.index(before: end)]))
        #expect(tools.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }.sorted() == Self.tools.keys.sorted())
        #expect(tools.arrayValue?.allSatisfy { $0["type"] == "function" } == true)
    }

    @Test func parsersFiltersEvaluatorsAndSeedsAreDeclared() {
        let yields = Dictionary(uniqueKeysWithValues: plugin.parsers.map { ($0.name, $0.yields) })
        #expect(yields == [
            "openai-tool-calls": ["response", "tool_calls", "final_answer", "format"],
            "react": ["response", "tool_calls", "final_answer", "format"],
            "plan": ["response", "steps"],
            "task-list": ["instruction"],
        ])
        #expect(plugin.filters.map(\.name) == ["execution-verified", "injection-guard"])
        #expect(plugin.evaluators.map(\.name) == ["call-accuracy", "argument-exact-match"])
        #expect(plugin.evaluators.map(\.metrics) == [["call_accuracy"], ["argument_exact_match"]])
        #expect(plugin.seeds.map(\.name) == ["tasks", "tool-topics"])
        #expect(plugin.seeds.map(\.kind) == ["tasks", "topics"])
    }

    @Test func unknownNamesAreNotFoundErrors() throws {
        #expect(throws: PluginCallError.self) { try plugin.parse(parser: "xml-calls", output: "x") }
        do {
            _ = try plugin.filter("vibes", record: ["response": "x"])
            Issue.record("an unknown filter was applied")
        } catch {
            #expect(error.status == .notFound && error.message.contains("execution-verified"), "\(error.message)")
        }
        do {
            _ = try plugin.evaluate("bleu", prompt: "", reference: "", prediction: "")
            Issue.record("an unknown evaluator ran")
        } catch {
            #expect(error.status == .notFound && error.message.contains("call-accuracy"), "\(error.message)")
        }
        #expect(throws: ToolCallError.self) { try plugin.callTool("shell", arguments: ["command": "ls"]) }
    }
}
