// The report's small parts: metric and checkpoint names round-trip (and odd names are kept, not
// misread), numbers read well on axes and in tables, axes survive degenerate data, and the
// escaping covers what XML forbids.
@testable import RetortPipeline
import Testing

@Suite struct ReportPartsTests {
    @Test func metricNamesRoundTripAndOddNamesStayUnknown() {
        let known: [EvaluationMetric] = [.heldoutKL, .perplexity, .rougeL, .winRateVsBaseline, .winRateVsTeacher,
                                         .plugin(pluginID: "code-exec", evaluator: "pass.at_1")]
        for metric in known { #expect(EvaluationMetric(name: metric.name) == metric) }
        #expect(EvaluationMetric.heldoutKL.name == "heldout_kl")
        #expect(EvaluationMetric(name: "plugin:instruct.format_ok") == .plugin(pluginID: "instruct", evaluator: "format_ok"))
        for odd in ["plugin:", "plugin:.x", "plugin:abc", "plugin:abc.", "bleu", ""] {
            #expect(EvaluationMetric(name: odd) == .other(odd), "\(odd) was misread")
        }
        #expect(EvaluationMetric.heldoutKL.direction == .lowerIsBetter && EvaluationMetric.rougeL.direction == .higherIsBetter)
        #expect(EvaluationMetric(name: "bleu").direction == .unknown)
    }

    @Test func checkpointNamesRoundTrip() {
        #expect(EvaluationCheckpoint(name: "baseline") == .baseline)
        #expect(EvaluationCheckpoint(name: "sft@20") == .trained(stage: "sft", step: 20))
        #expect(EvaluationCheckpoint(name: "a@b@3") == .trained(stage: "a@b", step: 3))
        #expect(EvaluationCheckpoint.trained(stage: "kd", step: 400).name == "kd@400")
        for bad in ["@3", "sft@", "sft@x", "sft@-1", "sft"] { #expect(EvaluationCheckpoint(name: bad) == nil, "\(bad) was accepted") }
    }

    @Test func numbersReadWell() {
        #expect(NumberText.tick(0.0002, step: 0.0001) == "2e-4")
        #expect(NumberText.tick(1.5e-4, step: 5e-5) == "1.5e-4")
        #expect(NumberText.tick(2.5, step: 0.5) == "2.5")
        #expect(NumberText.tick(300, step: 100) == "300")
        #expect(NumberText.tick(20000, step: 5000) == "20k")
        #expect(NumberText.value(.nan) == "NaN" && NumberText.value(-.infinity) == "−∞")
        #expect(NumberText.value(0.61234) == "0.6123")
        #expect(NumberText.value(1234.5) == "1235" || NumberText.value(1234.5) == "1234")
        #expect(NumberText.count(1_234_567) == "1,234,567")
        #expect(NumberText.compact(1_520_000) == "1.5M")
        #expect(NumberText.money(0.0042) == "$0.0042" && NumberText.money(12.5) == "$12.50")
    }

    @Test func axesSurviveDegenerateData() {
        let none = AxisScale.linear(covering: [.nan, .infinity])
        #expect(none.ticks == [0, 0.5, 1])
        let one = AxisScale.linear(covering: [3])
        #expect(one.lower < 3 && one.upper > 3 && one.ticks.count >= 2)
        let zero = AxisScale.linear(covering: [0, 0])
        #expect(zero.lower <= 0 && zero.upper > 0)
        let steps = AxisScale.linear(covering: [1, 2], minimumStep: 1)
        #expect(steps.ticks.allSatisfy { $0 == $0.rounded() })
        let wide = AxisScale.automatic(covering: [0.01, 0.5, 40])
        #expect(wide.kind == .log && wide.ticks.contains(1))
        let placed = AxisScale.linear(covering: [0, 10]).placed(from: 100, to: 0)
        #expect(placed.position(0) == 100 && placed.position(10) == 0 && placed.position(.nan) == 100)
        let ticks = AxisScale.linear(covering: [0, 0.3]).ticks
        #expect(ticks.map { NumberText.tick($0, step: 0.1) } == ["0", "0.1", "0.2", "0.3"])
    }

    @Test func escapingCoversMarkupAndWhatXMLForbids() {
        #expect(HTML.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTML.escape("a\u{0}b\u{1B}c\u{FFFF}d\r\ne\tf") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\ne\tf")
        let name = "<b>"
        let markup: HTML = "<p>\(name)</p>"
        #expect(markup.markup == "<p>&lt;b&gt;</p>")
        #expect(HTML.coordinate(12.0) == "12" && HTML.coordinate(12.34) == "12.3" && HTML.coordinate(.nan) == "0")
    }

    @Test func recipeSummaryIsLenientAndDropsCredentials() {
        let summary = RecipeSummary(yaml: """
            name: demo
            teacher: {backend: openai, base_url: "https://user:secret@vllm.local:8000/v1", model: qwen}
            distill:
              - name: sft
              - objectives: [reverse-kl]
              - name: kd
              - {name: cold, from: initial}
              - {name: branch, from: sft}
            """)
        #expect(summary.name == "demo")
        #expect(summary.teacher == "openai:qwen@https://…@vllm.local:8000/v1")
        #expect(summary.distillStages == ["sft", "distill-2", "kd", "cold", "branch"])
        #expect(summary.stageStarts == ["sft": "the un-distilled student", "distill-2": "sft", "kd": "distill-2",
                                        "cold": "the un-distilled student", "branch": "sft"])
        #expect(RecipeSummary(yaml: "{not yaml: [") == RecipeSummary())
        #expect(RecipeSummary(yaml: "- a list\n- not a recipe") == RecipeSummary())
    }

    @Test func longSeriesAreThinnedKeepingSpikesAndGaps() {
        var points = (0..<100_000).map { ChartPoint(x: Double($0), y: 1) }
        points[5_000].y = 50
        points[70_000].y = .nan
        let thinned = SeriesSampling.thinned(points)
        #expect(thinned.count < 4_000)
        #expect(thinned.contains { $0.y == 50 })
        #expect(thinned.contains { $0.y.isNaN })
        // Centred: the average at each point looks one back and one ahead, skipping the NaN, which stays a gap.
        let smoothed = SeriesSampling.movingAverage([1, 3, .nan, 5, 7].enumerated().map { ChartPoint(x: Double($0), y: $1) }, window: 3)
        #expect(smoothed.map(\.y).filter(\.isFinite) == [2, 2, 6, 6])
        #expect(smoothed[2].y.isNaN)
        // A spike does not move the median trend.
        let spiky = (0..<9).map { ChartPoint(x: Double($0), y: $0 == 4 ? 100 : 1) }
        #expect(SeriesSampling.binnedMedian(spiky, bin: 3).map(\.y) == [1, 1, 1])
        #expect(SeriesSampling.binnedMedian(spiky, bin: 3).map(\.x) == [1, 4, 7])
    }
}
