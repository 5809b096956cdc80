// `retort elicit`: run a recipe's knowledge stages. Running it again on the same run folder
// resumes: committed units are skipped and repeated teacher calls come from the run's cache.
import ArgumentParser
import Foundation
import RetortJSON
import RetortPipeline

struct Elicit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Elicit knowledge from the recipe's teacher into a run folder (resumable).")

    @Argument(help: "The recipe (YAML).") var recipe: String
    @Option(help: "The run folder. Default: runs/<recipe name>.") var runDir: String?
    @Option(help: "Run only this knowledge stage.") var stage: String?
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?
    @OptionGroup var plugins: PluginOptions
    @Flag(help: "No progress output.") var quiet = false
    @Flag(help: "Progress and the summary as JSON lines (for scripts).") var json = false

    func run() async throws {
        var options = ElicitationOptions(recipePath: recipe)
        options.runDirectory = runDir
        options.stage = stage
        options.modelsDirectory = modelsDir
        options.pluginPath = plugins.pluginPath
        options.progress = json ? .json : quiet ? .quiet : .bar
        let result: ElicitationResult
        do {
            result = try await Elicitation.run(options)
        } catch {
            throw CommandFailure.exit(error)
        }
        let failures = result.reports.flatMap(\.failures)
        if json {
            let stages: [JSONValue] = result.reports.map { report in
                ["stage": .string(report.stage), "units": .number(Double(report.unitsTotal)),
                 "skipped": .number(Double(report.unitsSkipped)), "committed": .number(Double(report.unitsCommitted)),
                 "kept": .number(Double(report.kept)), "rejected": .number(Double(report.rejected)),
                 "failures": .array(report.failures.map { .string($0) })]
            }
            let a = result.accounting
            let summary: JSONValue = [
                "event": "done", "run_dir": .string(result.runDirectory), "stages": .array(stages),
                "teacher": ["calls": .number(Double(a.calls)), "cache_hits": .number(Double(a.cacheHits)),
                            "retries": .number(Double(a.retries)), "prompt_tokens": .number(Double(a.promptTokens)),
                            "completion_tokens": .number(Double(a.completionTokens)), "cost": .number(a.cost)],
            ]
            print(summary.jsonText)
        } else if !quiet {
            for report in result.reports {
                var line = "\(report.stage): \(report.unitsCommitted) units done"
                if report.unitsSkipped > 0 { line += " (\(report.unitsSkipped) already done)" }
                line += ", \(report.kept) records kept, \(report.rejected) rejected"
                print(line)
            }
            let a = result.accounting
            print("teacher: \(a.calls) calls, \(a.cacheHits) from the cache, \(a.retries) retries, \(a.totalTokens) tokens"
                + (a.cost > 0 ? String(format: ", $%.4f", a.cost) : ""))
            print("run: \(result.runDirectory) (see `retort data stats \(result.runDirectory)`)")
        }
        if !failures.isEmpty {
            CommandFailure.report(failures.prefix(10).map { $0 } + ["\(failures.count) unit(s) failed and were not stored; run the same command again to retry them"])
            throw ExitCode(3)
        }
    }
}
