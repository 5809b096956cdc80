// `retort bench …`: benchmarks that print a ratio against a peer measured in the same run.
import ArgumentParser
import Foundation
import RetortPipeline

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run benchmarks (use a release build).",
        subcommands: [BenchTools.self])
}

struct BenchTools: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "Native tool calls through the host (JSON → libffi → JSON) versus a direct C call.")

    @OptionGroup var plugins: PluginOptions
    @Option(help: "Calls per measurement.") var calls = 200_000
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        do {
            let result = try ToolCallBenchmark.run(catalog: PluginCatalog(pluginPath: plugins.pluginPath), calls: calls)
            if json {
                print(result.json.jsonText)
            } else {
                print("tool calls, \(result.tool), \(result.calls) calls each")
                print("  direct C call:               \(Int(result.directCallsPerSecond)) calls/s")
                print("  retort host (JSON → libffi):  \(Int(result.hostCallsPerSecond)) calls/s")
                print("  ratio host/direct:           \(String(format: "%.4f", result.ratio))")
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
