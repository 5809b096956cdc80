// A Markdown table for the bundle's cards, with cell text escaped so a `|` or a line break in a
// reason or a prompt cannot break the table.

struct MarkdownTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The text on one line with `|` escaped.
    static func cell(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "|", with: "\\|")
        return flat.isEmpty ? " " : flat
    }

    /// The text cut to `limit` characters, marked with an ellipsis when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    var text: String {
        var lines = ["| " + header.map { Self.cell($0) }.joined(separator: " | ") + " |",
                     "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        for row in rows { lines.append("| " + row.map { Self.cell($0) }.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}
