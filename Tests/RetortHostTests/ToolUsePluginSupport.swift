// Loads the tool-use plugin (written in C) from the library `swift build` made, and writes
// trajectories in its two formats for the tests. Parser helpers (`parseOne`, `parseError`) come
// from InstructPluginSupport.swift.
import Foundation
import RetortHost
import RetortJSON
import Testing

enum ToolUsePluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_tool_use") }

    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }

    /// A ReAct trajectory: each call with its arguments and, when given, the result the teacher wrote.
    static func react(_ calls: [(tool: String, arguments: JSONValue, observation: String?)], final: String) -> String {
        var lines: [String] = []
        for call in calls {
            lines += ["Thought: I use \(call.tool).", "Action: \(call.tool)", "Action Input: \(call.arguments.jsonText)"]
            if let observation = call.observation { lines.append("Observation: \(observation)") }
        }
        return (lines + ["Final Answer: \(final)"]).joined(separator: "\n")
    }
}
