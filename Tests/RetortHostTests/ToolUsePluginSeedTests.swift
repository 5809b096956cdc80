// The tool-use seeds: every task's expected calls pass the schema check, run through libffi
// without error, and produce the task's answer — the execution-verified filter keeps the
// trajectory made of them — so evaluation against the seeds can trust them.
import RetortHost
import RetortJSON
import Testing

@Suite struct ToolUsePluginSeedTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ToolUsePluginLibrary.load()
    }

    @Test func everyTaskIsSolvedByItsExpectedCalls() throws {
        let tasks = try plugin.seedItems("tasks")
        #expect(tasks.count == 40)
        var usedTools = Set<String>()
        var ids = Set<String>()
        for task in tasks {
            let id = try #require(task["id"]?.stringValue)
            #expect(ids.insert(id).inserted, "duplicate id \(id)")
            let answer = try #require(task["answer"]?.stringValue, "\(id)")
            let calls = try #require(task["expected_calls"]?.arrayValue, "\(id)")
            var steps: [(tool: String, arguments: JSONValue, observation: String?)] = []
            for call in calls {
                let name = try #require(call["name"]?.stringValue)
                let arguments = try #require(call["arguments"])
                usedTools.insert(name)
                // Called as the host calls every tool: through libffi, arguments converted from JSON.
                let result = try JSONValue(parsing: try #require(try plugin.callTool(name, arguments: arguments).stringValue))
                #expect(result["error"] == nil, "\(id): \(name) fails: \(result.jsonText)")
                steps.append((name, arguments, result.jsonText))
            }
            let verdict = try plugin.filter("execution-verified", record: [
                "instruction": task["instruction"] ?? "", "response": .string(ToolUsePluginLibrary.react(steps, final: answer)),
            ])
            #expect(verdict.keep, "\(id): \(verdict.reason ?? "")")
            let scores = try plugin.evaluate("argument-exact-match", prompt: "", reference: JSONValue.array(calls).jsonText,
                                             prediction: ToolUsePluginLibrary.react(steps, final: answer))
            #expect(scores == ["argument_exact_match": 1], "\(id)")
        }
        #expect(usedTools == Set(plugin.tools.map(\.name)))
    }

    @Test func thereIsOneTopicPerTool() throws {
        let topics = try plugin.seedItems("tool-topics")
        #expect(topics.compactMap { $0["tool"]?.stringValue }.sorted() == plugin.tools.map(\.name).sorted())
        for topic in topics {
            #expect(topic["topic"]?.stringValue?.hasPrefix("the ") == true)
            #expect((topic["knowledge"]?.stringValue?.count ?? 0) > 40)
        }
    }
}
