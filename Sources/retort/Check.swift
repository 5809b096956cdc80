// `retort check gradients`: finite-difference checks of every op and objective, worst relative
// error per item, exit code 1 if any exceeds its tolerance.
import ArgumentParser
import Foundation
import RetortJSON
import RetortPipeline

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the numeric kernel.",
        subcommands: [CheckGradients.self])
}

struct CheckGradients: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradients",
        abstract: "Compare every op's and objective's gradient (built-in and plugin) with finite differences.")

    @OptionGroup var plugins: PluginOptions
    @Option(help: "Only run checks whose group/name contains this text.") var filter: String?
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        let catalog = PluginCatalog(pluginPath: plugins.pluginPath)
        let results = GradientCheckSuite.run(catalog: catalog, filter: filter)
        if json {
            print(JSONValue.array(results.map {
                ["group": .string($0.group), "name": .string($0.name), "worst_relative_error": .number($0.worstRelativeError),
                 "tolerance": .number($0.tolerance), "passed": .bool($0.passed)]
            }).jsonText)
        } else {
            print(TextTable.render(
                header: ["", "GROUP", "CHECK", "WORST REL. ERROR", "TOLERANCE"],
                rows: results.map {
                    [$0.passed ? "ok" : "FAIL", $0.group, $0.name, String(format: "%.2e", $0.worstRelativeError),
                     String(format: "%.0e", $0.tolerance)]
                }))
            let failed = results.filter { !$0.passed }.count
            print("\n\(results.count - failed) passed, \(failed) failed")
        }
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
