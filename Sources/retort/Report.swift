// `retort report`: writes one self-contained HTML report of a run (data funnel, teacher cost,
// training curves, evaluations, sample outputs), optionally comparing it with other runs.
import ArgumentParser
import RetortPipeline

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a run, optionally compared with other runs.",
        discussion: """
            The report is one HTML file with inline CSS and SVG charts (no JavaScript, no external files): the data \
            funnel, teacher usage and cost, loss / learning rate / gradient norm per distill stage, metrics per \
            checkpoint, and sample outputs. With --compare, the runs' metrics, losses, costs and sample outputs are \
            shown side by side, one colour per run. Parts a run does not have yet are listed in the report.
            """)

    @Argument(help: "The run folder (the one holding run.sqlite).") var runDir: String
    @Option(name: .customLong("compare"), parsing: .upToNextOption,
            help: ArgumentHelp("Run folders to compare with (repeatable, or several after one --compare).", valueName: "run-dir"))
    var compare: [String] = []
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("The HTML file to write. Default: <run-dir>/report.html.", valueName: "file"))
    var output: String?
    @Flag(help: "Print the metrics of every evaluated checkpoint as a Markdown table instead of writing HTML.")
    var table = false

    func run() throws {
        do {
            if table {
                for run in [runDir] + compare {
                    if !compare.isEmpty { print("\n## \(run)\n") }
                    print(try MetricsTable.markdown(runDirectory: run))
                }
                return
            }
            let outcome = try RunReport.write(runDirectory: runDir, comparing: compare, to: output)
            print("wrote \(outcome.path) (\(outcome.bytes / 1024) KiB) for \(outcome.runs.joined(separator: ", "))")
            if !outcome.missing.isEmpty {
                print("not in the report yet:")
                for line in outcome.missing { print("  - \(line)") }
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
