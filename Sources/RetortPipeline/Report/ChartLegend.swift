// The legend every chart draws above its plot: entries flow into rows across the chart's width,
// each a small symbol (line, dot, box, triangle, cross) in the series colour and its label.

/// One entry of a chart's legend, and the flow layout that wraps entries into rows.
struct LegendItem: Sendable {
    enum Symbol: Sendable {
        case line(dashed: Bool, dot: Bool)
        case triangle, cross, box
    }

    var label: String
    var color: String
    var symbol: Symbol

    struct Placed: Sendable {
        var item: LegendItem
        /// The label as shown (shortened when it could not fit a row).
        var text: String
        var x: Double
        var row: Int
    }

    static func layout(_ items: [LegendItem], width: Double) -> [Placed] {
        var placed: [Placed] = []
        var x = 0.0
        var row = 0
        for item in items {
            let text = ChartStyle.fitted(ChartStyle.oneLine(item.label), width: width - 30, size: ChartStyle.legendFontSize)
            let itemWidth = 28 + ChartStyle.textWidth(text, size: ChartStyle.legendFontSize) + 22
            if x > 0 && x + itemWidth > width {
                row += 1
                x = 0
            }
            placed.append(Placed(item: item, text: text, x: x, row: row))
            x += itemWidth
        }
        return placed
    }

    static let rowHeight = 20.0

    /// The height the legend rows take, with a little space below them.
    static func height(_ layout: [Placed]) -> Double {
        layout.isEmpty ? 0 : Double(layout.map(\.row).max()! + 1) * rowHeight + 6
    }

    /// The legend's SVG, placed at the chart's top left.
    static func markup(_ layout: [Placed]) -> HTML {
        var out: HTML = ""
        for placed in layout {
            let cy = 12 + Double(placed.row) * rowHeight
            let x0 = 10 + placed.x
            let item = placed.item
            switch item.symbol {
            case .line(let dashed, let dot):
                out += """
                    <line x1="\(x0)" y1="\(cy)" x2="\(x0 + 22)" y2="\(cy)" stroke="\(item.color)" stroke-width="2.5"\
                    \(dashed ? " stroke-dasharray=\"6 3\"" as HTML : "")/>
                    """
                if dot { out += "<circle cx=\"\(x0 + 11)\" cy=\"\(cy)\" r=\"3.5\" fill=\"\(item.color)\"/>" }
            case .triangle:
                out += "<path d=\"M\(x0 + 5) \(cy - 5)L\(x0 + 17) \(cy - 5)L\(x0 + 11) \(cy + 5)Z\" fill=\"\(item.color)\"/>"
            case .cross:
                out += """
                    <path d="M\(x0 + 7) \(cy - 4)L\(x0 + 15) \(cy + 4)M\(x0 + 7) \(cy + 4)L\(x0 + 15) \(cy - 4)" stroke="\(item.color)" stroke-width="2"/>
                    """
            case .box:
                out += "<rect x=\"\(x0 + 4)\" y=\"\(cy - 6)\" width=\"14\" height=\"12\" rx=\"2\" fill=\"\(item.color)\"/>"
            }
            out += """
                <text x="\(x0 + 28)" y="\(cy + 4.5)" font-size="\(ChartStyle.legendFontSize)" fill="\(ChartStyle.ink)">\
                \(placed.text)\(placed.text != item.label ? "<title>\(item.label)</title>" as HTML : "")</text>
                """
        }
        return out
    }
}
