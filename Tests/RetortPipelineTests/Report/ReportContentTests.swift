// The report of a run, read as a reader and a browser would: every section is there with charts
// that are well-formed SVG, nothing a model wrote can become markup, a comparison names each run
// and its teacher, and a run with nothing in it yet gives a report that says what is missing.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import RetortPipeline
import RetortKnowledge
import Testing

@Suite struct ReportContentTests {
    private let date = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func reportOfAFullRunHasEverySectionWithWellFormedCharts() throws {
        let dir = ReportFixtures.runDirectory("full")
        defer { ReportFixtures.remove(dir) }
        try ReportFixtures.fullRun(at: dir)
        let html = RunReport.html(primary: try RunSnapshot.load(runDirectory: dir), compared: [], generatedAt: date)

        for id in ["r0-overview", "r0-data", "r0-training", "r0-evaluation", "r0-samples"] {
            #expect(html.contains("id=\"\(id)\""), "section \(id) is missing")
        }
        for caption in ["Data funnel", "Yield per knowledge stage", "Teacher tokens", "Teacher cost", "Loss across all stages",
                        "Loss and objectives — sft", "Loss and objectives — kd", "Learning rate", "Gradient norm",
                        "KL to the teacher per checkpoint", "Win rate vs teacher", "instruct: format_ok"] {
            #expect(html.contains("<figcaption>\(caption)"), "no figure \"\(caption)\"")
        }
        // Skipped steps are marked and explained; the metric table has a row per checkpoint.
        #expect(html.contains("skipped step (2)"))
        #expect(html.contains("loss is NaN (overflow in the logits)"))
        for checkpoint in ["baseline", "sft@80", "sft@240", "kd@120", "kd@360"] {
            #expect(html.contains("<td>\(checkpoint)</td>"), "no row for \(checkpoint)")
        }
        #expect(html.contains("gpt-4o-mini"))
        #expect(!html.contains("Not in this report yet"))

        let charts = try svgDocuments(in: html)
        #expect(charts.count >= 14)
        for chart in charts { try expectWellFormed(chart) }
        #expect(!html.lowercased().contains("<script"))
    }

    @Test func textFromModelsAndPluginsIsEscapedEverywhere() throws {
        let dir = ReportFixtures.runDirectory("hostile")
        defer { ReportFixtures.remove(dir) }
        let hostile = ReportFixtures.hostile
        let store = try RunStore(runDirectory: dir)
        try store.setMeta(RunStore.MetaKey.recipe, "name: '\(hostile.replacingOccurrences(of: "'", with: "''"))'\nteacher: {model: m}\n")
        try store.commit(stage: hostile, unit: "u", records: [], rejections: [
            RejectedRecord(key: "r", provenance: ReportFixtures.provenance(hostile, strategy: "labeling"), check: hostile,
                           reason: hostile + "\u{0}\u{7}", payload: ["text": "x"]),
        ])
        try store.appendTrainingSteps([
            TrainingStepRow(stage: hostile, step: 1, loss: 2, objectives: [hostile: 2], learningRate: 1e-4, gradientNorm: 1,
                            tokens: 10, skipped: true, skipReason: hostile),
        ])
        try store.recordEvaluation(
            [EvaluationRow(checkpoint: "\(hostile)@1", metric: "plugin:x.\(hostile)", value: 0.5, stage: hostile, step: 1)],
            samples: [EvalSampleRow(checkpoint: "\(hostile)@1", position: 0, prompt: hostile, reference: hostile, output: hostile)])
        try store.recordArtifact(kind: hostile, path: hostile, sha256: hostile)

        let html = RunReport.html(primary: try RunSnapshot.load(runDirectory: dir), compared: [], generatedAt: date)
        #expect(!html.contains("<img"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("'&\""))
        #expect(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"))
        #expect(!html.contains("\u{0}") && !html.contains("\u{7}"))
        // The page forbids scripts even if something slipped through.
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        for chart in try svgDocuments(in: html) { try expectWellFormed(chart) }
    }

    @Test func comparisonNamesEachRunAndItsTeacher() throws {
        let first = ReportFixtures.runDirectory("cmp-a")
        let second = ReportFixtures.runDirectory("cmp-b")
        defer {
            ReportFixtures.remove(first)
            ReportFixtures.remove(second)
        }
        try ReportFixtures.fullRun(at: first)
        try ReportFixtures.fullRun(at: second, ReportFixtures.haikuShape)

        let output = first + "/compare.html"
        let outcome = try RunReport.write(runDirectory: first, comparing: [second], to: output, generatedAt: date)
        #expect(outcome.runs == ["instruct-distill", "instruct-distill-haiku"])
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("id=\"comparison\""))
        #expect(html.contains("<title>Retort report: instruct-distill vs instruct-distill-haiku</title>"))
        // Legends name run and teacher, in SVG text.
        #expect(html.contains(">instruct-distill — teacher openai:gpt-4o-mini@https://api.openai.com/v1"))
        #expect(html.contains(">instruct-distill-haiku — teacher anthropic:claude-3-5-haiku"))
        #expect(html.contains("forward-kl, sft") && html.contains("reverse-kl, sft"))
        #expect(html.contains("Sample outputs side by side"))
        // The compared run keeps its own sections, folded.
        #expect(html.contains("<details id=\"r1-run\">") && html.contains("id=\"r1-training\""))
        for chart in try svgDocuments(in: html) { try expectWellFormed(chart) }
    }

    @Test func emptyRunGivesAReportThatSaysWhatIsMissing() throws {
        let dir = ReportFixtures.runDirectory("empty")
        defer { ReportFixtures.remove(dir) }
        _ = try RunStore(runDirectory: dir)
        let outcome = try RunReport.write(runDirectory: dir, generatedAt: date)
        #expect(outcome.path == dir + "/report.html")
        let html = try String(contentsOfFile: outcome.path, encoding: .utf8)
        #expect(html.contains("Not in this report yet"))
        for sentence in ["The run stores no recipe", "No elicited data", "No teacher calls are recorded", "No training steps",
                         "No evaluations", "No sample outputs"] {
            #expect(outcome.missing.contains { $0.hasPrefix(sentence) }, "missing list lacks \"\(sentence)\"")
            #expect(html.contains(sentence))
        }
        for id in ["r0-data", "r0-training", "r0-evaluation", "r0-samples"] { #expect(html.contains("id=\"\(id)\"")) }
        for chart in try svgDocuments(in: html) { try expectWellFormed(chart) }
    }

    @Test func folderWithoutARunStoreIsAClearError() throws {
        let dir = ReportFixtures.runDirectory("nothing")
        defer { ReportFixtures.remove(dir) }
        #expect(throws: RunStoreError.missing(path: dir + "/run.sqlite")) {
            try RunReport.write(runDirectory: dir)
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func nanValuesAndOnePointSeriesAreDrawnWithoutBreakingTheCharts() throws {
        let dir = ReportFixtures.runDirectory("nan")
        defer { ReportFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.appendTrainingSteps([
            TrainingStepRow(stage: "sft", step: 1, loss: .nan, objectives: [:], learningRate: 1e-4, gradientNorm: .infinity, tokens: 5,
                            skipped: true, skipReason: "loss is nan"),
            TrainingStepRow(stage: "one", step: 7, loss: 1.5, objectives: ["sft": 1.5], learningRate: 0, gradientNorm: nil, tokens: 5),
        ])
        try store.recordEvaluation([
            EvaluationRow(checkpoint: "baseline", metric: "heldout_kl", value: .nan, stage: "", step: 0),
            EvaluationRow(checkpoint: "sft@1", metric: "heldout_kl", value: 2, stage: "sft", step: 1),
            EvaluationRow(checkpoint: "sft@1", metric: "rouge_l", value: .infinity, stage: "sft", step: 1),
        ])
        let html = RunReport.html(primary: try RunSnapshot.load(runDirectory: dir), compared: [], generatedAt: date)
        #expect(html.contains("non-finite value"))
        #expect(html.contains("no finite values to draw"))
        #expect(html.contains("<td class=\"num\">NaN</td>"))
        let charts = try svgDocuments(in: html)
        #expect(!charts.isEmpty)
        for chart in charts {
            try expectWellFormed(chart)
            let numericAttribute = try NSRegularExpression(
                pattern: #"\b(x|y|x1|x2|y1|y2|cx|cy|r|d|width|height|transform|viewBox)="[^"]*(nan|inf)"#, options: [.caseInsensitive])
            let range = NSRange(chart.startIndex..., in: chart)
            #expect(numericAttribute.firstMatch(in: chart, range: range) == nil, "a non-finite number reached an SVG coordinate")
        }
    }

    @Test func writingReplacesTheOldReportAtomicallyAndRefusesAFolder() throws {
        let dir = ReportFixtures.runDirectory("atomic")
        defer { ReportFixtures.remove(dir) }
        _ = try RunStore(runDirectory: dir)
        let output = dir + "/out/report.html"
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        try "old".write(toFile: output, atomically: false, encoding: .utf8)
        try RunReport.write(runDirectory: dir, to: output, generatedAt: date)
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["report.html"])

        #expect(throws: ExportFileError.self) { try RunReport.write(runDirectory: dir, to: dir + "/out", generatedAt: date) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["report.html"])
    }

    // MARK: - SVG checks

    /// Every `<svg …>…</svg>` element of the page.
    func svgDocuments(in html: String) throws -> [String] {
        var documents: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg ") {
            let end = try #require(rest[start.lowerBound...].range(of: "</svg>"), "an <svg> element is not closed")
            documents.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return documents
    }

    func expectWellFormed(_ svg: String) throws {
        let parser = XMLParser(data: Data(svg.utf8))
        let ok = parser.parse()
        #expect(ok, "SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") in \(svg.prefix(300))")
    }
}
