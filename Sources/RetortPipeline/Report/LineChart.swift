// A line chart as inline SVG: several series over a numeric or categorical x axis, with gridlines,
// tick labels, axis titles and a legend; vertical separators (stage boundaries), horizontal
// reference lines (the baseline), and marks for events such as skipped steps. Non-finite values
// break the line and are marked with a cross on the x axis, so a NaN loss is seen, not hidden.
import Foundation

struct LineChart: Sendable {
    struct Series: Sendable {
        var name: String
        var color: String
        /// Runs of points drawn as separate lines (one per distill stage when stages share an axis).
        var segments: [[ChartPoint]]
        var dashed = false
        var lineWidth = 2.0
        /// Drawn light and left out of the legend: the raw curve under its trend.
        var faint = false
        /// nil: dots when the series is short enough to read them.
        var dots: Bool? = nil

        init(name: String, color: String, points: [ChartPoint], dashed: Bool = false, lineWidth: Double = 2, faint: Bool = false,
             dots: Bool? = nil) {
            self.init(name: name, color: color, segments: [points], dashed: dashed, lineWidth: lineWidth, faint: faint, dots: dots)
        }

        init(name: String, color: String, segments: [[ChartPoint]], dashed: Bool = false, lineWidth: Double = 2, faint: Bool = false,
             dots: Bool? = nil) {
            self.name = name
            self.color = color
            self.segments = segments
            self.dashed = dashed
            self.lineWidth = lineWidth
            self.faint = faint
            self.dots = dots
        }

        var points: [ChartPoint] { segments.count == 1 ? segments[0] : segments.flatMap { $0 } }
    }

    /// Vertical ticks at the top of the plot for discrete events, e.g. steps the trainer skipped.
    struct Events: Sendable {
        var name: String
        var color: String
        var xs: [Double]
        /// A tooltip per event (same order as `xs`), e.g. the skip reason.
        var notes: [String] = []
    }

    struct Separator: Sendable {
        var x: Double
        var label: String
    }

    struct Reference: Sendable {
        var y: Double
        var label: String
        var color: String
    }

    /// automatic: log when positive values span more than two and a half decades (gradient norms with spikes).
    enum YScale: Sendable { case linear, automatic }

    var width = 1140.0
    var height = 320.0
    var xTitle: String
    var yTitle: String
    var series: [Series]
    var events: [Events] = []
    var separators: [Separator] = []
    var references: [Reference] = []
    /// When set, x values are indices into these labels (checkpoints).
    var xCategories: [String]? = nil
    var yScale: YScale = .linear
    /// Values the y axis always shows (0 for counts, 0…1 for rates).
    var yInclude: [Double] = []
    /// Values the x axis always shows (0 for steps, so the axis starts where training did). Numeric
    /// x values are steps: ticks are whole numbers.
    var xInclude: [Double] = [0]
    /// What the chart shows, for screen readers.
    var summary: String

    private static let dotLimit = 40

    func svg() -> HTML {
        let visible = series.filter { !$0.points.isEmpty }
        let allY = visible.flatMap { $0.points.map(\.y) } + references.map(\.y)
        let allX = visible.flatMap { $0.points.map(\.x) } + events.flatMap(\.xs) + separators.map(\.x)
        // One cross per x, however many series are non-finite there (a trend line may skip them; its raw curve does not).
        let nonFinite = Set(visible.flatMap { s in s.points.filter { !$0.y.isFinite }.map(\.x) }).sorted()

        // Legend entries, laid out in rows across the full width.
        var legend: [LegendItem] = visible.filter { !$0.faint }.map {
            LegendItem(label: $0.name, color: $0.color, symbol: .line(dashed: $0.dashed, dot: showsDots($0)))
        }
        legend += references.map { LegendItem(label: $0.label, color: $0.color, symbol: .line(dashed: true, dot: false)) }
        legend += events.filter { !$0.xs.isEmpty }.map {
            LegendItem(label: "\($0.name) (\(NumberText.count($0.xs.count)))", color: $0.color, symbol: .triangle)
        }
        if !nonFinite.isEmpty {
            legend.append(LegendItem(label: "non-finite value (\(NumberText.count(nonFinite.count)))", color: ChartStyle.warning,
                                     symbol: .cross))
        }
        let legendLayout = LegendItem.layout(legend, width: width - 20)
        let legendHeight = LegendItem.height(legendLayout)

        // Scales: y first (its tick labels set the left margin), then x.
        var y: AxisScale
        switch yScale {
        case .linear: y = .linear(covering: allY, include: yInclude)
        case .automatic: y = yInclude.isEmpty ? .automatic(covering: allY) : .linear(covering: allY, include: yInclude)
        }
        let yLabels = y.ticks.map { y.label($0) }
        let left = 30 + (yLabels.map { ChartStyle.textWidth($0, size: ChartStyle.smallFontSize) }.max() ?? 20) + 8
        let right = 24.0
        let top = legendHeight + 12
        let plotWidth = width - left - right

        var x: AxisScale
        var xLabelAngle = 0.0
        var xLabelEvery = 1
        var bottom = 50.0
        if let categories = xCategories {
            let n = max(1, categories.count)
            x = AxisScale(kind: .linear, lower: -0.5, upper: Double(n) - 0.5, ticks: categories.indices.map(Double.init), step: 1)
            let spacing = plotWidth / Double(n)
            let widest = categories.map { ChartStyle.textWidth($0, size: ChartStyle.smallFontSize) }.max() ?? 0
            if widest > spacing - 8 {
                xLabelAngle = -35
                xLabelEvery = max(1, Int((18 / spacing).rounded(.up)))
                let shown = min(widest, 170)
                bottom = 36 + shown * sin(35 * .pi / 180) + 10
            }
        } else {
            x = .linear(covering: allX, include: xInclude, targetTicks: max(3, Int(plotWidth / 110)), minimumStep: 1, tight: true)
        }
        let plotHeight = height - top - bottom
        x = x.placed(from: left, to: left + plotWidth)
        y = y.placed(from: top + plotHeight, to: top)

        var svg: HTML = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            role="img" aria-label="\(summary)">
            """
        svg += LegendItem.markup(legendLayout)

        // Grid and y ticks.
        for (tick, label) in zip(y.ticks, yLabels) {
            let py = y.position(tick)
            svg += """
                <line x1="\(left)" y1="\(py)" x2="\(left + plotWidth)" y2="\(py)" stroke="\(ChartStyle.grid)"/>\
                <text x="\(left - 6)" y="\(py + 4)" text-anchor="end" font-size="\(ChartStyle.smallFontSize)" fill="\(ChartStyle.mutedInk)">\(label)</text>
                """
        }
        // x ticks.
        for (i, tick) in x.ticks.enumerated() {
            let px = x.position(tick)
            svg += """
                <line x1="\(px)" y1="\(top + plotHeight)" x2="\(px)" y2="\(top + plotHeight + 5)" stroke="\(ChartStyle.axis)"/>
                """
            guard i % xLabelEvery == 0 else { continue }
            let label = xCategories.map { ChartStyle.fitted($0[i], width: 170, size: ChartStyle.smallFontSize) } ?? x.label(tick)
            let ty = top + plotHeight + 18
            if xLabelAngle != 0 {
                svg += """
                    <text x="\(px)" y="\(ty)" text-anchor="end" transform="rotate(\(xLabelAngle) \(px) \(ty))" \
                    font-size="\(ChartStyle.smallFontSize)" fill="\(ChartStyle.mutedInk)">\(label)</text>
                    """
            } else {
                svg += """
                    <text x="\(px)" y="\(ty)" text-anchor="middle" font-size="\(ChartStyle.smallFontSize)" fill="\(ChartStyle.mutedInk)">\(label)</text>
                    """
            }
        }
        // Axes and their titles.
        svg += """
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotHeight)" stroke="\(ChartStyle.axis)"/>\
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(left + plotWidth)" y2="\(top + plotHeight)" stroke="\(ChartStyle.axis)"/>\
            <text x="\(left + plotWidth / 2)" y="\(height - 8)" text-anchor="middle" font-size="\(ChartStyle.fontSize)" \
            fill="\(ChartStyle.ink)">\(ChartStyle.fitted(xTitle, width: plotWidth))</text>\
            <text x="14" y="\(top + plotHeight / 2)" text-anchor="middle" transform="rotate(-90 14 \(top + plotHeight / 2))" \
            font-size="\(ChartStyle.fontSize)" fill="\(ChartStyle.ink)">\(ChartStyle.fitted(yTitle, width: plotHeight))</text>
            """
        if y.kind == .log {
            svg += """
                <text x="\(left + 4)" y="\(top + 12)" font-size="\(ChartStyle.smallFontSize)" fill="\(ChartStyle.mutedInk)">log scale</text>
                """
        }

        // Stage separators, labelled inside the plot, each label fitted to the room before the next.
        let separatorXs = separators.map { x.position($0.x) }
        for (i, separator) in separators.enumerated() {
            let px = separatorXs[i]
            let room = (i + 1 < separatorXs.count ? separatorXs[i + 1] : left + plotWidth) - px - 8
            svg += """
                <line x1="\(px)" y1="\(top)" x2="\(px)" y2="\(top + plotHeight)" stroke="\(ChartStyle.mutedInk)" stroke-dasharray="5 4"/>
                """
            if room > 24 {
                svg += """
                    <text x="\(px + 4)" y="\(top + 26)" font-size="\(ChartStyle.smallFontSize)" fill="\(ChartStyle.mutedInk)">\
                    \(ChartStyle.fitted(separator.label, width: room, size: ChartStyle.smallFontSize))<title>\(separator.label)</title></text>
                    """
            }
        }
        for reference in references where reference.y.isFinite {
            let py = y.position(reference.y)
            svg += """
                <line x1="\(left)" y1="\(py)" x2="\(left + plotWidth)" y2="\(py)" stroke="\(reference.color)" stroke-width="1.5" \
                stroke-dasharray="6 4"><title>\(reference.label): \(NumberText.value(reference.y))</title></line>
                """
        }

        // Series: faint ones first, so the lines a reader follows are on top.
        for s in visible.sorted(by: { $0.faint && !$1.faint }) {
            svg += seriesMarkup(s, x: x, y: y)
        }

        for event in events {
            for (i, ex) in event.xs.prefix(500).enumerated() {
                let px = x.position(ex)
                let note = i < event.notes.count ? ": \(event.notes[i])" : ""
                svg += """
                    <g><title>\(event.name) at \(NumberText.value(ex))\(note)</title>\
                    <line x1="\(px)" y1="\(top)" x2="\(px)" y2="\(top + plotHeight)" stroke="\(event.color)" stroke-opacity="0.25"/>\
                    <path d="M\(px - 5) \(top - 1)L\(px + 5) \(top - 1)L\(px) \(top + 8)Z" fill="\(event.color)"/></g>
                    """
            }
        }
        for nx in nonFinite.prefix(500) {
            let px = x.position(nx)
            let py = top + plotHeight
            svg += """
                <path d="M\(px - 4) \(py - 4)L\(px + 4) \(py + 4)M\(px - 4) \(py + 4)L\(px + 4) \(py - 4)" stroke="\(ChartStyle.warning)" \
                stroke-width="2"><title>non-finite value at \(NumberText.value(nx))</title></path>
                """
        }
        if visible.allSatisfy({ s in s.points.allSatisfy { !$0.y.isFinite } }) {
            svg += """
                <text x="\(left + plotWidth / 2)" y="\(top + plotHeight / 2)" text-anchor="middle" font-size="\(ChartStyle.fontSize)" \
                fill="\(ChartStyle.mutedInk)">no finite values to draw</text>
                """
        }
        svg += "</svg>"
        return svg
    }

    private func showsDots(_ s: Series) -> Bool { s.dots ?? (s.points.count <= Self.dotLimit) }

    private func seriesMarkup(_ s: Series, x: AxisScale, y: AxisScale) -> HTML {
        var path = ""
        var isolated: [ChartPoint] = []
        var drawn: [ChartPoint] = []
        for segment in s.segments {
            let points = SeriesSampling.thinned(segment)
            var penDown = false
            for (i, p) in points.enumerated() {
                guard p.y.isFinite, y.contains(p.y) else {
                    penDown = false
                    continue
                }
                path += "\(penDown ? "L" : "M")\(HTML.coordinate(x.position(p.x))) \(HTML.coordinate(y.position(p.y)))"
                let previousDrawn = i > 0 && points[i - 1].y.isFinite && y.contains(points[i - 1].y)
                let nextDrawn = i + 1 < points.count && points[i + 1].y.isFinite && y.contains(points[i + 1].y)
                if !previousDrawn && !nextDrawn { isolated.append(p) }
                drawn.append(p)
                penDown = true
            }
        }
        let opacity = s.faint ? "0.35" : "1"
        var out: HTML = ""
        if !path.isEmpty {
            out += """
                <path d="\(path)" fill="none" stroke="\(s.color)" stroke-width="\(s.faint ? 1.2 : s.lineWidth)" stroke-opacity="\(opacity)" \
                stroke-linejoin="round"\(s.dashed ? " stroke-dasharray=\"7 4\"" as HTML : "")/>
                """
        }
        guard !s.faint else { return out }
        // Dots on short series carry their value as a tooltip; a lone point between gaps always gets one.
        let dotted = showsDots(s) ? drawn : isolated
        for p in dotted {
            let place = xCategories.flatMap { c in Int(exactly: p.x).flatMap { c.indices.contains($0) ? c[$0] : nil } }
                ?? NumberText.value(p.x)
            out += """
                <circle cx="\(x.position(p.x))" cy="\(y.position(p.y))" r="4" fill="\(s.color)" stroke="#fff" stroke-width="1.5">\
                <title>\(s.name) at \(place): \(NumberText.value(p.y))</title></circle>
                """
        }
        return out
    }
}
