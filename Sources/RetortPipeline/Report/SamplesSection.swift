// Sample outputs of a run, side by side: each held-out prompt with the teacher's reference answer,
// the un-distilled student's answer and the final checkpoint's answer. All of it is model text,
// shown escaped in scrollable boxes.

enum SamplesSection {
    static let limit = 12

    static func render(_ run: RunSnapshot, id: String) -> HTML {
        var out: HTML = "<section id=\"\(id)samples\" aria-label=\"Sample outputs\"><h2>Sample outputs</h2>\n"
        let final = run.finalSampledCheckpoint
        let baseline = run.samples(of: EvaluationCheckpoint.baselineName)
        let trained = final.map { run.samples(of: $0) } ?? [:]
        let positions = Set(baseline.keys).union(trained.keys).sorted()
        guard !positions.isEmpty else {
            out += ReportBlocks.missing("No sample outputs", ["No held-out prompt with a checkpoint's answer is stored for this run."])
            return out + "</section>\n"
        }
        out += """
            <p class="lead">Held-out prompts with the teacher's reference, the student before distillation (baseline) and \
            \(final.map { "the last checkpoint with samples (\($0))" } ?? "no trained checkpoint yet"). \
            Showing \(NumberText.count(min(limit, positions.count))) of \(NumberText.count(positions.count)).</p>\n
            """
        for (n, position) in positions.prefix(limit).enumerated() {
            let any = trained[position] ?? baseline[position]
            out += """
                <article class="sample"><h4>Prompt \(n + 1)</h4>\(ReportBlocks.text(any?.prompt, className: "prompt"))\
                <div class="cols" style="--cols:3">\
                <div><h4>Teacher reference</h4>\(ReportBlocks.text(any?.reference))</div>\
                <div><h4>Baseline</h4>\(ReportBlocks.text(baseline[position]?.output, placeholder: "no baseline output stored"))</div>\
                <div><h4>\(final ?? "Trained checkpoint")</h4>\(ReportBlocks.text(trained[position]?.output, placeholder: "no output stored for this checkpoint"))</div>\
                </div></article>\n
                """
        }
        return out + "</section>\n"
    }
}
