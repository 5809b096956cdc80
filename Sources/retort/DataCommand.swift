// `retort data stats|export`: what a run has produced so far, and its records in the formats other
// trainers read. Both only read the run folder; they never create one.
import ArgumentParser
import RetortPipeline

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect and export the data of a run.",
        subcommands: [DataStats.self, DataExport.self])
}

struct DataStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a run's progress per stage, kept and rejected records, and what the teacher cost.")

    @Argument(help: "The run folder (the one holding run.sqlite).") var runDir: String
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        do {
            let stats = try RunStore(runDirectory: runDir, create: false).stats()
            print(json ? stats.json.jsonText : stats.text)
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}

struct DataExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's kept records as JSONL for other trainers, or its teacher distributions as a binary file.",
        discussion: """
            messages: OpenAI chat JSONL; sharegpt: ShareGPT conversations; alpaca: instruction/input/output rows from \
            single-turn conversations; preference: TRL's conversational prompt/chosen/rejected rows; distributions: the \
            sparse teacher distributions of the feature stage in a little-endian binary file (header "RTRTDIST", then per \
            record its key, tokens, top-k ids, float32 log-probabilities and rest mass). Records a format cannot \
            express are skipped and counted, with the reason.
            """)

    @Argument(help: "The run folder (the one holding run.sqlite).") var runDir: String
    @Option(help: "The output format.") var format: ExportFormat
    @Option(help: "The output file. Default: <run-dir>/exports/<format>[-<stage>].jsonl (.rtdist for distributions).")
    var out: String?
    @Option(help: "Only the records of this stage.") var stage: String?
    @Flag(help: "Print the summary as JSON for scripts.") var json = false

    func run() throws {
        do {
            let store = try RunStore(runDirectory: runDir, create: false)
            let summary = try store.export(format, to: out ?? store.defaultExportPath(format, stage: stage), stage: stage)
            print(json ? summary.json.jsonText : summary.description)
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
