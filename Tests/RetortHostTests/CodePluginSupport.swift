// Loads the code plugin from the library `swift build` made, and runs code through its sandbox
// tool (`code.run_tests`), which returns the whole report: outcome, reason, tests, isolation.
import Foundation
import RetortHost
import RetortJSON
import Testing

enum CodePluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_code") }

    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }

    /// Runs `code` against `tests` in the sandbox; `limits` as the tool takes them.
    static func run(_ plugin: LoadedPlugin, code: String, tests: String, limits: JSONValue = [:]) throws -> JSONValue {
        let report = try plugin.toolReport("run_tests", [
            "code": .string(code), "tests": .string(tests), "limits": .string(limits == [:] ? "" : limits.jsonText),
        ])
        if let error = report["error"]?.stringValue { Issue.record("the sandbox failed: \(error)") }
        return report
    }

    /// The isolation layers the sandbox reports on this host; empty when it cannot run at all
    /// (then the tests that need a kernel layer are skipped, and every other sandbox test fails).
    static let layers: [String] = {
        guard let plugin = try? load(), let info = try? plugin.toolReport("sandbox_info", [:]) else { return [] }
        return info["isolation"]?["layers"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }()

    static var kernelBlocksNetwork: Bool { layers.contains("network namespace") || layers.contains("landlock network") }
    static var kernelConfinesWrites: Bool { layers.contains("landlock filesystem") }

    /// Processes whose working directory is (or was) `folder`: none may outlive a run.
    static func processes(in folder: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.filter { pid in
            let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
            return cwd.hasPrefix(folder)
        }
    }
}

extension LoadedPlugin {
    /// Calls a tool that returns JSON text (as the code and rag plugins' tools do) and parses it.
    func toolReport(_ tool: String, _ arguments: JSONValue) throws -> JSONValue {
        let result = try callTool(tool, arguments: arguments)
        guard let text = result.stringValue else { throw NotJSONText(tool: tool, found: result.typeName) }
        return try JSONValue(parsing: text)
    }
}

struct NotJSONText: Error, CustomStringConvertible {
    let tool: String
    let found: String
    var description: String { "tool \(tool) returned \(found), not JSON text" }
}
