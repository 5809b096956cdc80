// Several runs side by side (teacher against teacher, objective against objective): one colour per
// run, named with its teacher in every legend; each metric along the runs' training progress, the
// final values in a table, the loss curves, what the data and the teacher cost, and the same
// held-out prompts answered by each run's final checkpoint.

enum ComparisonSection {
    static let sampleLimit = 8

    /// The label every legend uses for a run: its name and teacher, plus the folder when names repeat.
    static func labels(_ runs: [RunSnapshot]) -> [String] {
        let names = runs.map(\.name)
        return runs.map { run in
            let repeated = names.filter { $0 == run.name }.count > 1
            let folder = repeated ? " (\(run.directory))" : ""
            return "\(run.name)\(folder) — teacher \(run.teacher)"
        }
    }

    static func render(_ runs: [RunSnapshot]) -> HTML {
        let labels = labels(runs)
        let colors = runs.indices.map(ChartStyle.color)
        var out: HTML = """
            <section id="comparison" aria-label="Comparison"><h2>Comparison of \(NumberText.count(runs.count)) runs</h2>
            <p class="lead">Each run has one colour in every chart below. Checkpoints are placed by training progress: the steps \
            of all distill stages in training order, with the baseline at 0.</p>\n
            """
        out += runTable(runs, colors: colors)

        let metrics = Set(runs.flatMap(\.metrics)).sorted { $0.sortKey < $1.sortKey }
        if metrics.isEmpty {
            out += ReportBlocks.missing("Nothing to compare yet", ["None of these runs has an evaluated checkpoint."])
        } else {
            out += finalTable(runs, colors: colors, metrics: metrics)
            for (i, metric) in metrics.enumerated() {
                if i == 1 { out += "<div class=\"grid2\">" }
                out += ReportBlocks.figure(metric.title, note: EvaluationSection.directionNote(metric),
                                           metricChart(runs, labels: labels, colors: colors, metric: metric, width: i == 0 ? 1100 : 530))
            }
            if metrics.count > 1 { out += "</div>" }
        }
        out += lossChart(runs, labels: labels, colors: colors)
        out += dataCharts(runs, colors: colors)
        out += samples(runs, colors: colors)
        return out + "</section>\n"
    }

    private static func runTable(_ runs: [RunSnapshot], colors: [String]) -> HTML {
        let rows: [[ReportBlocks.Cell]] = runs.indices.map { i in
            let run = runs[i]
            let objectives = Set(run.steps.flatMap { $0.objectives.keys }).sorted().joined(separator: ", ")
            let kl = run.finalCheckpoint.flatMap { run.value(.heldoutKL, at: $0) }
            return [.init(markup: "\(ReportBlocks.swatch(colors[i]))\(run.name)"), .init(run.teacher, long: true), .init(run.directory, long: true),
                    .init(objectives.isEmpty ? "—" : objectives),
                    .init(NumberText.count(run.steps.count), numeric: true), .init(NumberText.count(run.stats.keptRecords), numeric: true),
                    .init(NumberText.money(run.stats.cost), numeric: true), .init(run.finalCheckpoint ?? "—"),
                    .init(kl.map(NumberText.value) ?? "—", numeric: true)]
        }
        return ReportBlocks.table(
            header: [.init("Run"), .init("Teacher"), .init("Folder"), .init("Objectives"), .init("Steps", numeric: true),
                     .init("Kept records", numeric: true), .init("Teacher cost", numeric: true), .init("Final checkpoint"),
                     .init("Final KL", numeric: true)],
            rows: rows, label: "Runs compared")
    }

    private static func finalTable(_ runs: [RunSnapshot], colors: [String], metrics: [EvaluationMetric]) -> HTML {
        func final(_ run: RunSnapshot, _ metric: EvaluationMetric) -> Double? {
            run.checkpoints.last { $0 != EvaluationCheckpoint.baselineName && run.value(metric, at: $0) != nil }
                .flatMap { run.value(metric, at: $0) }
        }
        let bests = metrics.map { metric in EvaluationSection.best(runs.compactMap { final($0, metric) }, metric) }
        let rows: [[ReportBlocks.Cell]] = runs.indices.map { i in
            let run = runs[i]
            var row: [ReportBlocks.Cell] = [
                .init(markup: "\(ReportBlocks.swatch(colors[i]))\(run.name)<span class=\"delta neutral\">teacher \(run.teacher)</span>",
                      className: "long"),
            ]
            for (metric, best) in zip(metrics, bests) {
                guard let value = final(runs[i], metric) else {
                    row.append(.init("—", numeric: true))
                    continue
                }
                var cell: HTML = "\(NumberText.value(value))"
                if let base = runs[i].value(metric, at: EvaluationCheckpoint.baselineName), base.isFinite, value.isFinite {
                    let verdict = EvaluationSection.comparison(value, base, metric)
                    let className = verdict > 0 ? "better" : verdict < 0 ? "worse" : "neutral"
                    cell += "<span class=\"delta \(className)\">Δ \(NumberText.delta(value - base))</span>"
                }
                row.append(.init(markup: cell, numeric: true, className: best == value ? "best" : nil))
            }
            return row
        }
        let intro: HTML = """
            <h3>Final checkpoints</h3><p class="lead">Each run's last evaluated checkpoint; Δ: change against that run's own \
            baseline; bold: the best run.</p>
            """
        return intro + ReportBlocks.table(
            header: [.init("Run")] + metrics.map { .init($0.shortTitle + EvaluationSection.arrow($0), numeric: true) },
            rows: rows, label: "Final metrics per run")
    }

    private static func metricChart(_ runs: [RunSnapshot], labels: [String], colors: [String], metric: EvaluationMetric,
                                    width: Double) -> HTML {
        let series = runs.indices.map { i in
            let run = runs[i]
            let points = run.checkpoints.compactMap { c -> ChartPoint? in
                guard let value = run.value(metric, at: c), let x = run.progress(of: c) else { return nil }
                return ChartPoint(x: x, y: value)
            }.sorted { $0.x < $1.x }
            return LineChart.Series(name: labels[i], color: colors[i], points: points, dashed: i > 0 && i % 2 == 0, dots: true)
        }
        let chart = LineChart(
            width: width, height: width > 600 ? 320 : 280, xTitle: "training step (all stages; baseline at 0)", yTitle: metric.shortTitle,
            series: series, yInclude: metric.range.map { [$0.lowerBound, $0.upperBound] } ?? [],
            summary: "\(metric.title) per run over training progress")
        return chart.svg()
    }

    private static func lossChart(_ runs: [RunSnapshot], labels: [String], colors: [String]) -> HTML {
        guard runs.contains(where: { !$0.steps.isEmpty }) else {
            return ReportBlocks.missing("No training to compare", ["None of these runs has stored a training step."])
        }
        var series: [LineChart.Series] = []
        var longest = 0
        for (i, run) in runs.enumerated() {
            let segments = run.distillStages.map { stage in
                let offset = Double(run.stageOffsets[stage] ?? 0)
                return run.steps(of: stage).map { ChartPoint(x: offset + Double($0.step), y: $0.loss) }
            }
            longest = max(longest, run.steps.count)
            series += TrainingSection.curve(labels[i], color: colors[i], segments: segments)
        }
        let chart = LineChart(xTitle: "training step (all stages in training order)", yTitle: "loss (total)", series: series,
                              summary: "Total training loss per run")
        return ReportBlocks.figure("Training loss", note: TrainingSection.smoothingNote(longest), chart.svg())
    }

    /// Bars are labelled with the run's name only: its colour ties it to the legends and tables above.
    private static func dataCharts(_ runs: [RunSnapshot], colors: [String]) -> HTML {
        let names = runs.map { run in runs.filter { $0.name == run.name }.count > 1 ? "\(run.name) (\(run.directory))" : run.name }
        func chart(_ title: String, format: BarChart.ValueFormat, _ value: (RunSnapshot) -> Double, note: (RunSnapshot) -> String) -> HTML {
            let rows = runs.indices.map { i in
                BarChart.Row(label: names[i], parts: [.init(value: value(runs[i]), color: colors[i], name: title)], note: note(runs[i]))
            }
            let bars = BarChart(width: 530, groups: [BarChart.Group(rows: rows)], valueTitle: title, format: format,
                                labelWidth: 180, summary: "\(title) per run")
            return ReportBlocks.figure(title, bars.svg())
        }
        var out: HTML = "<div class=\"grid2\">"
        out += chart("Kept records", format: .count, { Double($0.stats.keptRecords) }) { run in
            let generated = run.stats.keptRecords + run.stats.rejectedRecords
            return generated > 0
                ? "\(NumberText.count(run.stats.keptRecords)) of \(NumberText.count(generated)) (\(NumberText.percent(Double(run.stats.keptRecords) / Double(generated))))"
                : "none generated"
        }
        out += chart("Teacher cost", format: .money, { $0.stats.cost }) { NumberText.money($0.stats.cost) }
        out += chart("Teacher tokens", format: .compact, { Double($0.stats.promptTokens + $0.stats.completionTokens) }) {
            NumberText.compact(Double($0.stats.promptTokens + $0.stats.completionTokens))
        }
        out += chart("Teacher calls", format: .count, { Double($0.stats.teacherCalls) }) {
            "\(NumberText.count($0.stats.teacherCalls)) (+\(NumberText.count($0.stats.cacheHits)) cached)"
        }
        return out + "</div>"
    }

    /// The primary run's held-out prompts, each answered by every run that has it (matched by prompt text).
    private static func samples(_ runs: [RunSnapshot], colors: [String]) -> HTML {
        var out: HTML = "<h3>Sample outputs side by side</h3>\n"
        struct Answers {
            var reference: String?
            var baseline: String?
            var final: String?
            var finalName: String?
        }
        let answers: [[String: Answers]] = runs.map { run in
            var byPrompt: [String: Answers] = [:]
            let finalName = run.finalSampledCheckpoint
            for s in run.samples where s.checkpoint == EvaluationCheckpoint.baselineName || s.checkpoint == finalName {
                var a = byPrompt[s.prompt] ?? Answers(finalName: finalName)
                a.reference = a.reference ?? s.reference
                if s.checkpoint == EvaluationCheckpoint.baselineName { a.baseline = s.output } else { a.final = s.output }
                byPrompt[s.prompt] = a
            }
            return byPrompt
        }
        // Prompts in the first run's order that has samples, then prompts only later runs have.
        var prompts: [String] = []
        for run in runs {
            for s in run.samples.sorted(by: { $0.position < $1.position }) where !prompts.contains(s.prompt) {
                prompts.append(s.prompt)
            }
        }
        guard !prompts.isEmpty else {
            return out + ReportBlocks.missing("No sample outputs", ["None of these runs has stored sample outputs."])
        }
        for (n, prompt) in prompts.prefix(sampleLimit).enumerated() {
            out += "<article class=\"sample\"><h4>Prompt \(n + 1)</h4>\(ReportBlocks.text(prompt, className: "prompt"))"
            for i in runs.indices {
                let a = answers[i][prompt]
                out += """
                    <div class="runrow"><div>\(ReportBlocks.swatch(colors[i]))<strong>\(runs[i].name)</strong><br>\
                    <span class="cut">teacher \(runs[i].teacher)</span></div>\
                    <div><h4>Teacher reference</h4>\(ReportBlocks.text(a?.reference, placeholder: "prompt not in this run"))</div>\
                    <div><h4>Baseline</h4>\(ReportBlocks.text(a?.baseline, placeholder: "no baseline output stored"))</div>\
                    <div><h4>\(a?.finalName ?? "Final checkpoint")</h4>\(ReportBlocks.text(a?.final, placeholder: "no output stored"))</div></div>
                    """
            }
            out += "</article>\n"
        }
        if prompts.count > sampleLimit {
            out += "<p class=\"lead\">Showing \(NumberText.count(sampleLimit)) of \(NumberText.count(prompts.count)) prompts.</p>\n"
        }
        return out
    }
}
