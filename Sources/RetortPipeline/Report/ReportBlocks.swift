// The building blocks every section of the report is made of: figures with captions, tables,
// summary tiles, the "what is missing" box and boxes of untrusted text (prompts, outputs), which
// are escaped and cut to a readable length.

enum ReportBlocks {
    /// Longest sample text shown in full; the rest is cut with a note saying how much.
    static let textLimit = 4000

    static func figure(_ caption: String, note: String? = nil, _ chart: HTML) -> HTML {
        let noteMarkup: HTML = note.map { "<span class=\"note\">\($0)</span>" } ?? ""
        return "<figure><figcaption>\(caption)\(noteMarkup)</figcaption>\(chart)</figure>\n"
    }

    static func missing(_ title: String, _ lines: [String]) -> HTML {
        guard !lines.isEmpty else { return "" }
        let items = lines.map { "<li>\($0)</li>" as HTML }
        return "<div class=\"missing\" role=\"note\"><strong>\(title)</strong><ul>\(items)</ul></div>\n"
    }

    struct Cell {
        var content: HTML
        var numeric = false
        var className: String? = nil

        /// `long`: text that may have no spaces (paths, hashes, URLs) and must wrap anywhere.
        init(_ text: String, numeric: Bool = false, long: Bool = false) {
            content = HTML(text: text)
            self.numeric = numeric
            className = long ? "long" : nil
        }

        init(markup: HTML, numeric: Bool = false, className: String? = nil) {
            content = markup
            self.numeric = numeric
            self.className = className
        }
    }

    static func table(header: [Cell], rows: [[Cell]], label: String) -> HTML {
        func attributes(_ cell: Cell) -> HTML {
            let classes = ([cell.numeric ? "num" : nil, cell.className].compactMap { $0 }).joined(separator: " ")
            return classes.isEmpty ? "" : " class=\"\(classes)\""
        }
        let head = header.map { "<th scope=\"col\"\(attributes($0))>\($0.content)</th>" as HTML }
        let body = rows.map { row in
            "<tr>\(row.map { "<td\(attributes($0))>\($0.content)</td>" as HTML })</tr>\n" as HTML
        }
        return "<div class=\"table-wrap\"><table aria-label=\"\(label)\"><thead><tr>\(head)</tr></thead><tbody>\n\(body)</tbody></table></div>\n"
    }

    static func tile(_ label: String, value: String, detail: String? = nil) -> HTML {
        let detailMarkup: HTML = detail.map { "<div class=\"detail\">\($0)</div>" } ?? ""
        return "<div class=\"tile\"><div class=\"label\">\(label)</div><div class=\"value\">\(value)</div>\(detailMarkup)</div>"
    }

    /// A box of text from a teacher, a student or a data file: escaped, cut after `textLimit` characters.
    static func text(_ text: String?, className: String = "", placeholder: String = "not stored") -> HTML {
        guard let text else { return "<div class=\"text empty \(className)\">\(placeholder)</div>" }
        if text.isEmpty { return "<div class=\"text empty \(className)\">(empty)</div>" }
        guard text.count > textLimit else { return "<div class=\"text \(className)\">\(text)</div>" }
        let cut = text.count - textLimit
        return """
            <div class="text \(className)">\(String(text.prefix(textLimit)))<span class="cut">… \(NumberText.count(cut)) more characters not shown</span></div>
            """
    }

    static func swatch(_ color: String) -> HTML { "<span class=\"swatch\" style=\"background:\(color)\"></span>" }
}
