// The data half of a run: the funnel from what the teacher generated to what was kept (by stage
// and kind) and rejected (by check, then by reason), the yield of each knowledge stage, and what
// the teacher cost in calls, tokens and money.

enum DataSection {
    private static let reasonColor = "#E8959B"

    static func render(_ run: RunSnapshot, id: String) -> HTML {
        let stats = run.stats
        var out: HTML = """
            <section id="\(id)data" aria-label="Data"><h2>Data: generated, kept and rejected</h2>
            <p class="lead">Every record the teacher's answers produced is either kept for training or rejected by a check \
            (parser, quality filter, deduplication), with the check's reason.</p>\n
            """
        let generated = stats.keptRecords + stats.rejectedRecords
        guard generated > 0 else {
            out += ReportBlocks.missing("No data yet", ["No record was kept or rejected in this run yet; retort elicit writes them."])
            out += teacherUsage(run)
            return out + "</section>\n"
        }

        func share(_ n: Int) -> String { "\(NumberText.count(n)) · \(NumberText.percent(Double(n) / Double(generated)))" }
        var groups: [BarChart.Group] = [
            BarChart.Group(rows: [
                BarChart.Row(label: "Generated (kept + rejected)", parts: [.init(value: Double(generated), color: ChartStyle.generated, name: "generated")],
                             note: NumberText.count(generated), strong: true),
            ]),
        ]
        var kept = [BarChart.Row(label: "Kept", parts: [.init(value: Double(stats.keptRecords), color: ChartStyle.kept, name: "kept")],
                                 note: share(stats.keptRecords), strong: true)]
        kept += stats.records.map {
            BarChart.Row(label: "\($0.stage) · \($0.kind)", parts: [.init(value: Double($0.count), color: ChartStyle.kept, name: "kept")],
                         note: share($0.count), depth: 1)
        }
        groups.append(BarChart.Group(rows: kept))
        var rejected = [BarChart.Row(label: "Rejected", parts: [.init(value: Double(stats.rejectedRecords), color: ChartStyle.rejected, name: "rejected")],
                                     note: share(stats.rejectedRecords), strong: true)]
        for check in stats.rejectionsByCheck {
            rejected.append(BarChart.Row(label: check.check, parts: [.init(value: Double(check.count), color: ChartStyle.rejected, name: "rejected")],
                                         note: share(check.count), depth: 1))
            for reason in stats.topReasons.prefix(12) where reason.check == check.check {
                rejected.append(BarChart.Row(label: reason.reason, parts: [.init(value: Double(reason.count), color: reasonColor, name: "rejected")],
                                             note: share(reason.count), depth: 2))
            }
        }
        if stats.rejectedRecords > 0 {
            groups.append(BarChart.Group(rows: rejected))
        }
        let funnel = BarChart(
            groups: groups, valueTitle: "records",
            legend: [LegendItem(label: "kept", color: ChartStyle.kept, symbol: .box),
                     LegendItem(label: "rejected (by check)", color: ChartStyle.rejected, symbol: .box),
                     LegendItem(label: "rejected (by reason)", color: reasonColor, symbol: .box)],
            labelWidth: 420,
            summary: "Data funnel: \(generated) generated, \(stats.keptRecords) kept, \(stats.rejectedRecords) rejected")
        out += ReportBlocks.figure("Data funnel", note: "Shares are of all generated records; duplicates: \(NumberText.count(stats.duplicates)).",
                                   funnel.svg())

        if run.stageYields.count > 1 || (run.stageYields.first.map { $0.rejected > 0 } ?? false) {
            let rows = run.stageYields.map { yield in
                let total = yield.kept + yield.rejected
                return BarChart.Row(
                    label: yield.stage,
                    parts: [.init(value: Double(yield.kept), color: ChartStyle.kept, name: "kept"),
                            .init(value: Double(yield.rejected), color: ChartStyle.rejected, name: "rejected")],
                    note: "\(NumberText.count(yield.kept)) of \(NumberText.count(total)) kept (\(NumberText.percent(total > 0 ? Double(yield.kept) / Double(total) : 0)))")
            }
            let chart = BarChart(
                groups: [BarChart.Group(rows: rows)], valueTitle: "records",
                legend: [LegendItem(label: "kept", color: ChartStyle.kept, symbol: .box),
                         LegendItem(label: "rejected", color: ChartStyle.rejected, symbol: .box)],
                labelWidth: 260, summary: "Kept and rejected records per knowledge stage")
            out += ReportBlocks.figure("Yield per knowledge stage", chart.svg())
        }

        if !stats.topReasons.isEmpty {
            out += "<h3>Most frequent rejection reasons</h3>"
            out += ReportBlocks.table(
                header: [.init("Check"), .init("Reason"), .init("Records", numeric: true)],
                rows: stats.topReasons.map { [.init($0.check), .init($0.reason, long: true), .init(NumberText.count($0.count), numeric: true)] },
                label: "Rejection reasons")
        }
        out += teacherUsage(run)
        return out + "</section>\n"
    }

    /// Calls, tokens and cost per teacher, with the calls the cache answered.
    static func teacherUsage(_ run: RunSnapshot) -> HTML {
        let stats = run.stats
        var out: HTML = "<h3>Teacher usage</h3>\n"
        guard !stats.teachers.isEmpty else {
            return out + ReportBlocks.missing("No teacher calls", ["This run has not called a teacher yet, so there is no cost or token count."])
        }
        let promptColor = ChartStyle.color(0)
        let completionColor = ChartStyle.color(1)
        let names = stats.teachers.map { RecipeSummary.withoutCredentials($0.teacher) }
        let tokenRows = zip(names, stats.teachers).map { name, t in
            BarChart.Row(label: name, parts: [.init(value: Double(t.promptTokens), color: promptColor, name: "prompt tokens"),
                                              .init(value: Double(t.completionTokens), color: completionColor, name: "completion tokens")],
                         note: "\(NumberText.compact(Double(t.promptTokens))) + \(NumberText.compact(Double(t.completionTokens)))")
        }
        let tokens = BarChart(
            groups: [BarChart.Group(rows: tokenRows)], valueTitle: "tokens",
            legend: [LegendItem(label: "prompt", color: promptColor, symbol: .box),
                     LegendItem(label: "completion", color: completionColor, symbol: .box)],
            format: .compact, labelWidth: 360, summary: "Teacher tokens by teacher")
        let costRows = zip(names, stats.teachers).map { name, t in
            BarChart.Row(label: name, parts: [.init(value: t.cost, color: ChartStyle.color(2), name: "cost")],
                         note: "\(NumberText.money(t.cost)) · \(NumberText.count(t.calls)) calls")
        }
        let cost = BarChart(groups: [BarChart.Group(rows: costRows)], valueTitle: "cost (at the recipe's prices)",
                            format: .money, labelWidth: 360, summary: "Teacher cost by teacher")
        out += ReportBlocks.figure("Teacher tokens", tokens.svg())
        out += ReportBlocks.figure("Teacher cost", note: "At the prices in the recipe's teacher block.", cost.svg())

        let perKept = stats.keptRecords > 0 ? NumberText.money(stats.cost / Double(stats.keptRecords)) : "—"
        var rows: [[ReportBlocks.Cell]] = zip(names, stats.teachers).map { name, t in
            [.init(name), .init(NumberText.count(t.calls), numeric: true), .init(NumberText.count(t.promptTokens), numeric: true),
             .init(NumberText.count(t.completionTokens), numeric: true), .init(NumberText.money(t.cost), numeric: true),
             .init(NumberText.value(t.latency) + " s", numeric: true)]
        }
        rows.append([.init(markup: "<strong>all teachers</strong>"), .init(NumberText.count(stats.teacherCalls), numeric: true),
                     .init(NumberText.count(stats.promptTokens), numeric: true), .init(NumberText.count(stats.completionTokens), numeric: true),
                     .init(NumberText.money(stats.cost), numeric: true), .init("", numeric: true)])
        out += ReportBlocks.table(
            header: [.init("Teacher"), .init("Calls", numeric: true), .init("Prompt tokens", numeric: true),
                     .init("Completion tokens", numeric: true), .init("Cost", numeric: true), .init("Time waited", numeric: true)],
            rows: rows, label: "Teacher usage")
        out += """
            <p class="lead">\(NumberText.count(stats.cacheHits)) further requests were answered from the run's call cache at no cost. \
            Cost per kept record: \(perKept).</p>\n
            """
        return out
    }
}
