// What every chart shares: the colour palette, font sizes, and an estimate of how wide a label
// will be. The page has no script to measure text, so layout uses the average advance of the
// sans-serif fonts the page asks for (about 0.6 em); labels that would not fit are shortened, with
// the full text kept in a tooltip.

enum ChartStyle {
    /// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies; then a few more.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0C000", "#000000",
                          "#7F7F7F", "#8C564B"]
    static func color(_ index: Int) -> String { palette[((index % palette.count) + palette.count) % palette.count] }

    static let ink = "#1f2328"
    static let mutedInk = "#57606a"
    static let grid = "#e6e8eb"
    static let axis = "#8c959f"
    static let kept = "#2DA44E"
    static let rejected = "#CF222E"
    static let generated = "#57606a"
    static let warning = "#CF222E"

    static let fontSize = 13.0
    static let smallFontSize = 12.0
    static let legendFontSize = 13.0

    /// The width a line of text takes at `size` px, estimated.
    static func textWidth(_ text: String, size: Double = fontSize) -> Double {
        var em = 0.0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20, 0x2E, 0x2C, 0x3A, 0x3B, 0x69, 0x6A, 0x6C, 0x49, 0x7C, 0x27, 0x21: em += 0.32
            case 0x41...0x5A, 0x6D, 0x77: em += 0.72
            case 0x1100...: em += 1.0
            default: em += 0.6
            }
        }
        return em * size
    }

    /// `text` shortened with an ellipsis so that it fits `width` px.
    static func fitted(_ text: String, width: Double, size: Double = fontSize) -> String {
        guard textWidth(text, size: size) > width else { return text }
        // No glyph is narrower than 0.32 em, so nothing past this prefix can fit.
        var characters = Array(text.prefix(Int(width / (0.32 * size)) + 1))
        while !characters.isEmpty, textWidth(String(characters) + "…", size: size) > width {
            characters.removeLast()
        }
        return String(characters) + "…"
    }

    /// Newlines and runs of spaces collapse: a label is one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline || $0 == "\t" || $0 == " " }).joined(separator: " ")
    }
}
