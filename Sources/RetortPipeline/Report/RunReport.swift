// `retort report`: one self-contained HTML file about a run (and, with --compare, other runs beside
// it), read from the run stores. Inline CSS and inline SVG only: the file opens anywhere, offline,
// without JavaScript, and can be mailed or archived as it is. Written atomically, so a reader never
// sees half a report and a failed write leaves the previous one in place.
import Foundation

/// What `RunReport.write` produced.
public struct ReportOutcome: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    /// The runs in the report, the first one being the run reported on.
    public var runs: [String]
    /// What the reported run does not have yet, one sentence each (also written in the report).
    public var missing: [String]
}

public enum RunReport {
    /// `<run-dir>/report.html`.
    public static func defaultPath(runDirectory: String) -> String {
        (runDirectory as NSString).appendingPathComponent("report.html")
    }

    /// Reads the runs and writes the report to `output` (default: `<run-dir>/report.html`).
    @discardableResult
    public static func write(runDirectory: String, comparing others: [String] = [], to output: String? = nil,
                             generatedAt: Date = Date()) throws -> ReportOutcome {
        let primary = try RunSnapshot.load(runDirectory: runDirectory)
        let compared = try others.map { try RunSnapshot.load(runDirectory: $0) }
        let page = html(primary: primary, compared: compared, generatedAt: generatedAt)
        let path = output ?? defaultPath(runDirectory: runDirectory)
        let writer = try AtomicFileWriter(destination: path)
        do {
            try writer.write(page)
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        return ReportOutcome(path: path, bytes: page.utf8.count, runs: ([primary] + compared).map(\.name), missing: primary.missing)
    }

    /// The whole page for `primary`, with a comparison section first when `compared` is not empty
    /// and each compared run's own sections folded away at the end.
    static func html(primary: RunSnapshot, compared: [RunSnapshot], generatedAt: Date) -> String {
        let runs = [primary] + compared
        let title = compared.isEmpty
            ? "Retort report: \(primary.name)"
            : "Retort report: \(runs.map(\.name).joined(separator: " vs "))"
        var nav: [HTML] = []
        if !compared.isEmpty { nav.append("<a href=\"#comparison\">Comparison</a>") }
        nav += [("overview", "Overview"), ("data", "Data"), ("training", "Training"), ("evaluation", "Evaluation"), ("samples", "Samples")]
            .map { "<a href=\"#r0-\($0.0)\">\($0.1)</a>" }

        var body: HTML = """
            <header><h1>\(title)</h1>
            <p class="subtitle">Teacher \(primary.teacher) · run folder \(primary.directory)\
            \(primary.retortVersion.map { " · made by \($0)" } ?? "") · report written \(generatedAt.ISO8601Format())</p>
            <nav aria-label="Sections">\(nav.joined(separator: " "))</nav></header>\n
            """
        if !compared.isEmpty { body += ComparisonSection.render(runs) }
        if !compared.isEmpty { body += "<h2 class=\"run-title\">Run \(primary.name) in detail</h2>\n" }
        body += sections(primary, id: "r0-")
        for (i, run) in compared.enumerated() {
            body += """
                <details id="r\(i + 1)-run"><summary>Run \(run.name) (teacher \(run.teacher)) in detail</summary>\n
                """
            body += sections(run, id: "r\(i + 1)-")
            body += "</details>\n"
        }
        body += "<footer>Written by retort report from \(runs.map(\.directory).joined(separator: ", ")). "
            + "All prompts and outputs are model text, shown as plain text.</footer>\n"

        let page: HTML = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>\(title)</title>
            <style>\(ReportStyle.css)</style></head>
            <body><div class="page">
            \(body)</div></body></html>

            """
        return page.markup
    }

    static func sections(_ run: RunSnapshot, id: String) -> HTML {
        OverviewSection.render(run, id: id) + DataSection.render(run, id: id) + TrainingSection.render(run, id: id)
            + EvaluationSection.render(run, id: id) + SamplesSection.render(run, id: id)
    }
}
