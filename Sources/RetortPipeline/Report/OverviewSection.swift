// The top of a run's report: the headline numbers (data kept, teacher cost, training done, KL to
// the teacher before and after), what the run does not have yet, the recipe that produced it and
// the files it wrote.

enum OverviewSection {
    static func render(_ run: RunSnapshot, id: String) -> HTML {
        let stats = run.stats
        let generated = stats.keptRecords + stats.rejectedRecords
        var tiles: [HTML] = []
        tiles.append(ReportBlocks.tile(
            "Kept records", value: NumberText.count(stats.keptRecords),
            detail: generated > 0
                ? "of \(NumberText.count(generated)) generated (\(NumberText.percent(Double(stats.keptRecords) / Double(generated))) kept)"
                : "nothing generated yet"))
        tiles.append(ReportBlocks.tile(
            "Teacher cost", value: NumberText.money(stats.cost),
            detail: "\(NumberText.count(stats.teacherCalls)) calls, \(NumberText.compact(Double(stats.promptTokens + stats.completionTokens))) tokens"))
        let tokens = run.steps.reduce(0) { $0 + $1.tokens }
        let skipped = run.steps.filter(\.skipped).count
        tiles.append(ReportBlocks.tile(
            "Training steps", value: NumberText.count(run.steps.count),
            detail: run.steps.isEmpty
                ? "not trained yet"
                : "\(run.distillStages.count) stage\(run.distillStages.count == 1 ? "" : "s"), \(NumberText.compact(Double(tokens))) tokens"
                    + (skipped > 0 ? ", \(NumberText.count(skipped)) skipped" : "")))
        tiles.append(klTile(run))

        var out: HTML = "<section id=\"\(id)overview\" aria-label=\"Overview\"><div class=\"tiles\">\(tiles)</div>\n"
        out += ReportBlocks.missing("Not in this report yet", run.missing)
        if let text = run.recipeText {
            out += """
                <details><summary>Recipe of this run</summary><pre class="recipe">\(text)</pre></details>\n
                """
        }
        if !run.artifacts.isEmpty {
            out += "<h3>Files this run produced</h3>"
            out += ReportBlocks.table(
                header: [.init("Kind"), .init("Path"), .init("SHA-256")],
                rows: run.artifacts.map { [.init($0.kind), .init($0.path, long: true), .init(markup: "<code>\($0.sha256)</code>", className: "long")] },
                label: "Artifacts")
        }
        out += "</section>\n"
        return out
    }

    /// The held-out KL of the final checkpoint, against the baseline's when both exist.
    private static func klTile(_ run: RunSnapshot) -> HTML {
        let baseline = run.value(.heldoutKL, at: EvaluationCheckpoint.baselineName)
        guard let final = run.finalCheckpoint, let kl = run.value(.heldoutKL, at: final) else {
            if let baseline {
                return ReportBlocks.tile("KL to teacher", value: NumberText.value(baseline), detail: "baseline only; no trained checkpoint evaluated")
            }
            return ReportBlocks.tile("KL to teacher", value: "—", detail: "not evaluated yet")
        }
        var detail = "at \(final)"
        if let baseline, baseline.isFinite, kl.isFinite, baseline != 0 {
            detail += "; baseline \(NumberText.value(baseline)) (\(NumberText.delta((kl - baseline) / abs(baseline) * 100))%)"
        }
        return ReportBlocks.tile("KL to teacher", value: NumberText.value(kl), detail: detail)
    }
}
