// Measures the host's native tool-call path (JSON arguments → libffi → JSON result) against
// calling the same C function directly, so the cost of the plugin boundary is a known ratio.
import Foundation
import RetortHost
import RetortJSON

public struct ToolCallBenchmarkResult: Sendable {
    public let tool: String
    public let calls: Int
    public let directCallsPerSecond: Double
    public let hostCallsPerSecond: Double
    public var ratio: Double { hostCallsPerSecond / directCallsPerSecond }

    public var json: JSONValue {
        ["tool": .string(tool), "calls": .number(Double(calls)), "direct_calls_per_second": .number(directCallsPerSecond),
         "host_calls_per_second": .number(hostCallsPerSecond), "ratio": .number(ratio)]
    }
}

public enum ToolCallBenchmark {
    public struct Failure: Error, LocalizedError {
        public let message: String
        public var errorDescription: String? { message }
    }

    /// Calls `c-example.add` (int32_t (int32_t, int32_t)) `calls` times each way.
    public static func run(catalog: PluginCatalog, calls: Int = 200_000) throws -> ToolCallBenchmarkResult {
        let plugin = try catalog.registry.plugin(id: "c-example")
        guard let tool = plugin.tools.first(where: { $0.name == "add" }),
              let handle = dlopen(plugin.path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE),
              let symbol = dlsym(handle, tool.symbol)
        else {
            throw Failure(message: "the c-example plugin's `add` tool is needed for this benchmark (build the package first)")
        }
        typealias Add = @convention(c) (Int32, Int32) -> Int32
        let add = unsafeBitCast(symbol, to: Add.self)

        let clock = ContinuousClock()
        var sink: Int64 = 0
        let directStart = clock.now
        for i in 0..<calls { sink &+= Int64(add(Int32(truncatingIfNeeded: i), 1)) }
        let direct = clock.now - directStart

        let hostStart = clock.now
        for i in 0..<calls {
            let result = try plugin.callTool("add", arguments: ["a": .number(Double(i % 1000)), "b": 1])
            sink &+= Int64(result.doubleValue ?? 0)
        }
        let host = clock.now - hostStart
        if sink == 42 { print("") }  // keeps the loops from being optimized away
        return ToolCallBenchmarkResult(tool: "c-example.add", calls: calls,
                                       directCallsPerSecond: Double(calls) / direct.seconds,
                                       hostCallsPerSecond: Double(calls) / host.seconds)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
