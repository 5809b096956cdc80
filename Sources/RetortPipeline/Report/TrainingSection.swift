// The training half of a run: per distill stage, the loss and each objective of the mixture over
// steps, the learning-rate schedule, and the gradient norm with skipped steps marked; with more
// than one stage, the total loss of all stages along one step axis with stage separators.
// Long noisy curves are drawn faint with their moving average on top.

enum TrainingSection {
    static let lossColor = "#1f2328"
    static let skipColor = ChartStyle.warning

    static func render(_ run: RunSnapshot, id: String) -> HTML {
        var out: HTML = "<section id=\"\(id)training\" aria-label=\"Training\"><h2>Training</h2>\n"
        guard !run.steps.isEmpty else {
            out += ReportBlocks.missing("No training yet", [
                "No optimizer step is stored: the distill stage has not run yet (or has not finished its first step).",
            ])
            return out + "</section>\n"
        }
        out += stageTable(run)
        if run.distillStages.count > 1 { out += allStagesChart(run) }
        for stage in run.distillStages {
            let steps = run.steps(of: stage)
            guard !steps.isEmpty else { continue }
            out += "<h3>Stage \(stage)</h3>\n"
            out += lossChart(stage: stage, steps: steps)
            out += "<div class=\"grid2\">"
            out += learningRateChart(steps)
            out += gradientNormChart(steps)
            out += "</div>"
            out += skippedTable(steps)
        }
        return out + "</section>\n"
    }

    private static func stageTable(_ run: RunSnapshot) -> HTML {
        let rows: [[ReportBlocks.Cell]] = run.distillStages.compactMap { stage in
            let steps = run.steps(of: stage)
            guard let first = steps.first, let last = steps.last else { return nil }
            let finite = steps.map(\.loss).filter(\.isFinite)
            let objectives = Set(steps.flatMap { $0.objectives.keys }).sorted().joined(separator: ", ")
            return [.init(stage), .init(run.recipe.stageStarts[stage] ?? "—"), .init(objectives.isEmpty ? "—" : objectives),
                    .init("\(NumberText.count(first.step))–\(NumberText.count(last.step))", numeric: true),
                    .init(NumberText.compact(Double(steps.reduce(0) { $0 + $1.tokens })), numeric: true),
                    .init(NumberText.count(steps.filter(\.skipped).count), numeric: true),
                    .init(NumberText.value(first.loss), numeric: true),
                    .init(NumberText.value(last.loss), numeric: true),
                    .init(finite.min().map(NumberText.value) ?? "—", numeric: true)]
        }
        return ReportBlocks.table(
            header: [.init("Stage"), .init("Starts from"), .init("Objectives"), .init("Steps", numeric: true), .init("Tokens", numeric: true),
                     .init("Skipped", numeric: true), .init("First loss", numeric: true), .init("Last loss", numeric: true),
                     .init("Lowest loss", numeric: true)],
            rows: rows, label: "Distill stages")
    }

    /// How a long curve's trend is drawn: a centred moving average, or the median of each run of
    /// steps where single spikes must not move the trend.
    enum Trend { case mean, median }

    static func curve(_ name: String, color: String, points: [ChartPoint], lineWidth: Double = 2, trend: Trend = .mean) -> [LineChart.Series] {
        curve(name, color: color, segments: [points], lineWidth: lineWidth, trend: trend)
    }

    /// A curve (one segment per stage), and when it is long, its faint raw values under its trend,
    /// taken within each segment so one stage's values never bleed into the next.
    static func curve(_ name: String, color: String, segments: [[ChartPoint]], lineWidth: Double = 2,
                      trend: Trend = .mean) -> [LineChart.Series] {
        let count = segments.reduce(0) { $0 + $1.count }
        let window = SeriesSampling.smoothingWindow(count: count)
        guard count > 60, window > 1 else {
            return [LineChart.Series(name: name, color: color, segments: segments, lineWidth: lineWidth)]
        }
        let trendSegments = segments.map { segment in
            switch trend {
            case .mean: SeriesSampling.movingAverage(segment, window: window)
            case .median: SeriesSampling.binnedMedian(segment, bin: window)
            }
        }
        return [LineChart.Series(name: name, color: color, segments: segments, faint: true),
                LineChart.Series(name: name, color: color, segments: trendSegments, lineWidth: lineWidth, dots: false)]
    }

    static func smoothingNote(_ count: Int, trend: Trend = .mean) -> String? {
        let window = SeriesSampling.smoothingWindow(count: count)
        guard count > 60, window > 1 else { return nil }
        switch trend {
        case .mean: return "Light lines: every step; solid lines: centred moving average over \(window) steps."
        case .median: return "Light line: every step; solid line: median of every \(window) steps."
        }
    }

    private static func skipEvents(_ steps: [TrainingStepRow], x: (TrainingStepRow) -> Double = { Double($0.step) }) -> LineChart.Events {
        let skipped = steps.filter(\.skipped)
        return LineChart.Events(name: "skipped step", color: skipColor, xs: skipped.map(x),
                                notes: skipped.map { $0.skipReason ?? "no reason stored" })
    }

    private static func lossChart(stage: String, steps: [TrainingStepRow]) -> HTML {
        var series = curve("loss (total)", color: lossColor, points: steps.map { ChartPoint(x: Double($0.step), y: $0.loss) }, lineWidth: 2.5)
        let objectives = Set(steps.flatMap { $0.objectives.keys }).sorted()
        // A single objective equal to the total would only draw the same line twice.
        let redundant = objectives.count == 1 && steps.allSatisfy { s in s.objectives.values.allSatisfy { $0 == s.loss || (!$0.isFinite && !s.loss.isFinite) } }
        if !redundant {
            for (i, objective) in objectives.enumerated() {
                let points = steps.map { ChartPoint(x: Double($0.step), y: $0.objectives[objective] ?? .nan) }
                series += curve(objective, color: ChartStyle.color(i), points: points)
            }
        }
        let chart = LineChart(xTitle: "step", yTitle: "loss", series: series, events: [skipEvents(steps)],
                              summary: "Loss and objectives of stage \(stage) over \(steps.count) steps")
        return ReportBlocks.figure("Loss and objectives — \(stage)", note: smoothingNote(steps.count), chart.svg())
    }

    private static func learningRateChart(_ steps: [TrainingStepRow]) -> HTML {
        let chart = LineChart(
            width: 530, height: 260, xTitle: "step", yTitle: "learning rate",
            series: [LineChart.Series(name: "learning rate", color: ChartStyle.color(0),
                                      points: steps.map { ChartPoint(x: Double($0.step), y: $0.learningRate) })],
            yInclude: [0], summary: "Learning rate over steps")
        return ReportBlocks.figure("Learning rate", chart.svg())
    }

    private static func gradientNormChart(_ steps: [TrainingStepRow]) -> HTML {
        let points = steps.map { ChartPoint(x: Double($0.step), y: $0.gradientNorm ?? .nan) }
        let chart = LineChart(
            width: 530, height: 260, xTitle: "step", yTitle: "gradient norm",
            // A median trend: a spike is what a reader looks for here, and an average would smear it into a plateau.
            series: curve("gradient norm", color: ChartStyle.color(5), points: points, trend: .median), events: [skipEvents(steps)],
            yScale: .automatic, summary: "Gradient norm over steps, skipped steps marked")
        let note = [smoothingNote(steps.count, trend: .median), "Red marks: steps the trainer skipped (a non-finite loss or gradient, or a loss spike)."]
            .compactMap { $0 }.joined(separator: " ")
        return ReportBlocks.figure("Gradient norm", note: note, chart.svg())
    }

    private static func skippedTable(_ steps: [TrainingStepRow]) -> HTML {
        let skipped = steps.filter(\.skipped)
        guard !skipped.isEmpty else { return "" }
        let shown = skipped.prefix(20)
        var out = ReportBlocks.table(
            header: [.init("Skipped step", numeric: true), .init("Reason")],
            rows: shown.map { [.init(NumberText.count($0.step), numeric: true), .init($0.skipReason ?? "no reason stored")] },
            label: "Skipped steps")
        if skipped.count > shown.count {
            out += "<p class=\"lead\">…and \(NumberText.count(skipped.count - shown.count)) more skipped steps.</p>"
        }
        return out
    }

    /// The total loss of every stage along one axis, stages in training order, separated and labelled.
    private static func allStagesChart(_ run: RunSnapshot) -> HTML {
        var segments: [[ChartPoint]] = []
        var separators: [LineChart.Separator] = []
        var skipped: [TrainingStepRow] = []
        var xs: [Double] = []
        for stage in run.distillStages {
            let offset = Double(run.stageOffsets[stage] ?? 0)
            let steps = run.steps(of: stage)
            separators.append(LineChart.Separator(x: offset, label: stage))
            segments.append(steps.map { ChartPoint(x: offset + Double($0.step), y: $0.loss) })
            for s in steps where s.skipped {
                skipped.append(s)
                xs.append(offset + Double(s.step))
            }
        }
        var events = skipEvents(skipped)
        events.xs = xs
        let chart = LineChart(
            xTitle: "step (all stages in training order)", yTitle: "loss",
            series: curve("loss (total)", color: lossColor, segments: segments, lineWidth: 2.5), events: [events], separators: separators,
            summary: "Total loss of all distill stages in training order")
        return ReportBlocks.figure("Loss across all stages", note: smoothingNote(run.steps.count), chart.svg())
    }
}
