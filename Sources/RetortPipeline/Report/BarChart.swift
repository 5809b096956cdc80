// A horizontal bar chart as inline SVG: labelled rows in groups, each bar one value or a
// stack of parts, the value written at the bar's end, with a value axis, gridlines and a legend.
// The data funnel (generated → kept / rejected by check and reason), teacher usage and the
// cross-run comparisons are all drawn with it; long labels (rejection reasons) are shortened with
// the full text in a tooltip.
import Foundation

struct BarChart: Sendable {
    struct Part: Sendable {
        var value: Double
        var color: String
        /// Names the part in the tooltip ("kept", "prompt tokens").
        var name: String
    }

    struct Row: Sendable {
        var label: String
        var parts: [Part]
        /// Written after the bar; defaults to the total in the chart's value format.
        var note: String? = nil
        /// Indentation level of the label (a reason under its check).
        var depth = 0
        /// A label in bold: a total above its breakdown.
        var strong = false

        var total: Double { parts.reduce(0) { $0 + ($1.value.isFinite ? max(0, $1.value) : 0) } }
    }

    /// Rows drawn together; groups are set apart by a little space (totals, then their breakdown).
    struct Group: Sendable {
        var rows: [Row]
    }

    enum ValueFormat: Sendable { case count, money, compact }

    var width = 1140.0
    var groups: [Group]
    var valueTitle: String
    var legend: [LegendItem] = []
    var format: ValueFormat = .count
    var labelWidth = 330.0
    var summary: String

    private static let rowHeight = 26.0
    private static let barHeight = 17.0

    func svg() -> HTML {
        let legendLayout = LegendItem.layout(legend, width: width - 20)
        let legendHeight = LegendItem.height(legendLayout)
        let notes = groups.flatMap(\.rows).map { $0.note ?? formatted($0.total) }
        let noteWidth = (notes.map { ChartStyle.textWidth($0, size: ChartStyle.smallFontSize) }.max() ?? 40) + 14
        let barLeft = labelWidth + 16
        let barRight = width - max(60, noteWidth) - 8
        let totals = groups.flatMap(\.rows).map(\.total)
        var scale = AxisScale.linear(covering: totals, include: [0], targetTicks: max(3, Int((barRight - barLeft) / 120)),
                                     minimumStep: format == .count ? 1 : 0)
        scale = scale.placed(from: barLeft, to: barRight)

        var y = legendHeight + 8
        var body: HTML = ""
        for (index, group) in groups.enumerated() {
            if index > 0 { y += 10 }
            for row in group.rows {
                let indent = 10 + Double(row.depth) * 18
                let oneLine = ChartStyle.oneLine(row.label)
                let shown = ChartStyle.fitted(oneLine, width: labelWidth - indent, size: ChartStyle.fontSize)
                let mid = y + Self.rowHeight / 2
                body += """
                    <text x="\(indent)" y="\(mid + 4.5)" font-size="\(ChartStyle.fontSize)" fill="\(ChartStyle.ink)"\
                    \(row.strong ? " font-weight=\"600\"" as HTML : "")>\(shown)<title>\(row.label)</title></text>
                    """
                var x = barLeft
                for part in row.parts where part.value.isFinite && part.value > 0 {
                    let w = scale.position(part.value) - barLeft
                    body += """
                        <rect x="\(x)" y="\(mid - Self.barHeight / 2)" width="\(max(1, w))" height="\(Self.barHeight)" fill="\(part.color)" rx="2">\
                        <title>\(row.label) — \(part.name): \(formatted(part.value))</title></rect>
                        """
                    x += w
                }
                body += """
                    <text x="\(x + 6)" y="\(mid + 4.5)" font-size="\(ChartStyle.smallFontSize)" fill="\(ChartStyle.mutedInk)">\
                    \(row.note ?? formatted(row.total))</text>
                    """
                y += Self.rowHeight
            }
        }
        let plotTop = legendHeight + 8
        let plotBottom = y + 4
        let height = plotBottom + 44

        var svg: HTML = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            role="img" aria-label="\(summary)">
            """
        svg += LegendItem.markup(legendLayout)
        for tick in scale.ticks {
            let px = scale.position(tick)
            svg += """
                <line x1="\(px)" y1="\(plotTop)" x2="\(px)" y2="\(plotBottom)" stroke="\(ChartStyle.grid)"/>\
                <text x="\(px)" y="\(plotBottom + 16)" text-anchor="middle" font-size="\(ChartStyle.smallFontSize)" \
                fill="\(ChartStyle.mutedInk)">\(tickLabel(tick, step: scale.step))</text>
                """
        }
        svg += """
            <line x1="\(barLeft)" y1="\(plotTop)" x2="\(barLeft)" y2="\(plotBottom)" stroke="\(ChartStyle.axis)"/>\
            <line x1="\(barLeft)" y1="\(plotBottom)" x2="\(barRight)" y2="\(plotBottom)" stroke="\(ChartStyle.axis)"/>\
            <text x="\((barLeft + barRight) / 2)" y="\(height - 6)" text-anchor="middle" font-size="\(ChartStyle.fontSize)" \
            fill="\(ChartStyle.ink)">\(valueTitle)</text>
            """
        svg += body
        svg += "</svg>"
        return svg
    }

    private func formatted(_ v: Double) -> String {
        switch format {
        case .count: v.isFinite && v == v.rounded() && abs(v) < 1e15 ? NumberText.count(Int(v)) : NumberText.value(v)
        case .money: NumberText.money(v)
        case .compact: abs(v) >= 1000 ? NumberText.compact(v) : NumberText.value(v)
        }
    }

    private func tickLabel(_ v: Double, step: Double) -> String {
        switch format {
        case .money: v == 0 ? "0" : "$" + NumberText.tick(v, step: step)
        case .count, .compact: NumberText.tick(v, step: step)
        }
    }
}
