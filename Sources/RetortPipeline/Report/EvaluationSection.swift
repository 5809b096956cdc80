// The evaluation of a run: a table of every metric at every checkpoint with its change against the
// un-distilled baseline (coloured by whether that is better), the held-out KL to the teacher per
// checkpoint, and one chart per other metric.

enum EvaluationSection {
    static func render(_ run: RunSnapshot, id: String) -> HTML {
        var out: HTML = "<section id=\"\(id)evaluation\" aria-label=\"Evaluation\"><h2>Evaluation</h2>\n"
        guard !run.evaluations.isEmpty else {
            out += ReportBlocks.missing("No evaluation yet", [
                "No checkpoint has been evaluated: there is no KL to the teacher, perplexity, ROUGE-L or win rate to show.",
            ])
            return out + "</section>\n"
        }
        out += """
            <p class="lead">Each checkpoint is scored on held-out prompts the teacher answered. "baseline" is the student before \
            distillation; "stage@step" is the student after that many steps of that stage. ↓: lower is better, ↑: higher is \
            better; Δ: change against the baseline, green where it is better; bold: the best checkpoint.</p>\n
            """
        out += table(run)
        if run.metrics.contains(.heldoutKL) {
            out += ReportBlocks.figure("KL to the teacher per checkpoint", note: "Forward KL(teacher ‖ student) per token on held-out teacher answers; lower is better.",
                                       chart(run, metric: .heldoutKL, width: 1100))
        } else {
            out += ReportBlocks.missing("No KL to the teacher", ["No checkpoint has the held-out KL (\(EvaluationMetric.heldoutKL.name)) stored."])
        }
        let others = run.metrics.filter { $0 != .heldoutKL }
        if !others.isEmpty {
            out += "<div class=\"grid2\">"
            for metric in others {
                out += ReportBlocks.figure(metric.title, note: directionNote(metric), chart(run, metric: metric, width: 530))
            }
            out += "</div>"
        }
        return out + "</section>\n"
    }

    static func directionNote(_ metric: EvaluationMetric) -> String {
        switch metric.direction {
        case .lowerIsBetter: "Lower is better."
        case .higherIsBetter: "Higher is better."
        case .unknown: "Stored as \(metric.name); the direction of improvement is the evaluator's."
        }
    }

    static func arrow(_ metric: EvaluationMetric) -> String {
        switch metric.direction {
        case .lowerIsBetter: " ↓"
        case .higherIsBetter: " ↑"
        case .unknown: ""
        }
    }

    /// -1, 0 or 1: whether `value` is worse than, as good as, or better than `reference`.
    static func comparison(_ value: Double, _ reference: Double, _ metric: EvaluationMetric) -> Int {
        guard value.isFinite, reference.isFinite, value != reference else { return 0 }
        switch metric.direction {
        case .lowerIsBetter: return value < reference ? 1 : -1
        case .higherIsBetter: return value > reference ? 1 : -1
        case .unknown: return 0
        }
    }

    /// The best finite value of `metric` among `values`, when the metric has a direction.
    static func best(_ values: [Double], _ metric: EvaluationMetric) -> Double? {
        let finite = values.filter(\.isFinite)
        switch metric.direction {
        case .lowerIsBetter: return finite.min()
        case .higherIsBetter: return finite.max()
        case .unknown: return nil
        }
    }

    private static func table(_ run: RunSnapshot) -> HTML {
        let header: [ReportBlocks.Cell] = [.init("Checkpoint")] + run.metrics.map { .init($0.shortTitle + arrow($0), numeric: true) }
        let bests = run.metrics.map { metric in best(run.checkpoints.compactMap { run.value(metric, at: $0) }, metric) }
        let rows: [[ReportBlocks.Cell]] = run.checkpoints.map { checkpoint in
            var row: [ReportBlocks.Cell] = [.init(checkpoint)]
            for (metric, best) in zip(run.metrics, bests) {
                guard let value = run.value(metric, at: checkpoint) else {
                    row.append(.init("—", numeric: true))
                    continue
                }
                var cell: HTML = "\(NumberText.value(value))"
                if checkpoint != EvaluationCheckpoint.baselineName, let base = run.value(metric, at: EvaluationCheckpoint.baselineName),
                   value.isFinite, base.isFinite {
                    let verdict = comparison(value, base, metric)
                    let className = verdict > 0 ? "better" : verdict < 0 ? "worse" : "neutral"
                    cell += "<span class=\"delta \(className)\">Δ \(NumberText.delta(value - base))</span>"
                }
                row.append(.init(markup: cell, numeric: true, className: best == value ? "best" : nil))
            }
            return row
        }
        return ReportBlocks.table(header: header, rows: rows, label: "Metrics per checkpoint")
    }

    /// One metric across the run's checkpoints, with the baseline as a dashed reference line.
    static func chart(_ run: RunSnapshot, metric: EvaluationMetric, width: Double) -> HTML {
        let evaluated = run.checkpoints.filter { run.value(metric, at: $0) != nil }
        let points = evaluated.enumerated().map { i, c in ChartPoint(x: Double(i), y: run.value(metric, at: c) ?? .nan) }
        var references: [LineChart.Reference] = []
        if let base = run.value(metric, at: EvaluationCheckpoint.baselineName), base.isFinite {
            references.append(LineChart.Reference(y: base, label: "baseline", color: ChartStyle.mutedInk))
        }
        let chart = LineChart(
            width: width, height: width > 600 ? 300 : 260, xTitle: "checkpoint", yTitle: metric.shortTitle,
            series: [LineChart.Series(name: metric.title, color: metric == .heldoutKL ? ChartStyle.color(5) : ChartStyle.color(0),
                                      points: points, dots: true)],
            references: references, xCategories: evaluated, yInclude: metric.range.map { [$0.lowerBound, $0.upperBound] } ?? [],
            summary: "\(metric.title) per checkpoint")
        return chart.svg()
    }
}
