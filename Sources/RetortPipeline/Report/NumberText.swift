// How numbers read in the report: tick labels just precise enough to tell neighbours apart, values
// with four significant digits, counts with thousands separators, and words for NaN and infinity.
import Foundation

enum NumberText {
    /// A value in a table or a tooltip: 4 significant digits, scientific when very small or large.
    static func value(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if magnitude >= 1e6 || magnitude < 1e-3 { return scientific(v, digits: 3) }
        let decimals = max(0, 3 - Int(floor(log10(magnitude))))
        return trimmed(String(format: "%.\(decimals)f", v))
    }

    /// A tick label; `step` is the distance between ticks, which sets the precision.
    static func tick(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        let magnitude = max(abs(v), step)
        if step < 1e-3 || magnitude >= 1e7 { return scientific(v, digits: significantDigits(of: v, step: step)) }
        if magnitude >= 1e4 && step >= 1000 { return compact(v, step: step) }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        return String(format: "%.\(decimals)f", v)
    }

    /// 12,345 — counts of records, steps, tokens.
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "−" + out : out
    }

    /// 1.2k, 3.4M: large counts on axes and bar labels.
    static func compact(_ v: Double, step: Double? = nil) -> String {
        let magnitude = abs(v)
        let (divisor, suffix): (Double, String) =
            magnitude >= 1e9 ? (1e9, "G") : magnitude >= 1e6 ? (1e6, "M") : magnitude >= 1e3 ? (1e3, "k") : (1, "")
        let scaled = v / divisor
        let decimals: Int
        if let step { decimals = max(0, -Int(floor(log10(step / divisor) + 1e-9))) } else { decimals = abs(scaled) >= 100 ? 0 : 1 }
        return trimmed(String(format: "%.\(min(decimals, 3))f", scaled)) + suffix
    }

    /// An amount of money in the teacher's price currency (recipes give prices in dollars).
    static func money(_ amount: Double) -> String {
        guard amount.isFinite else { return value(amount) }
        if amount == 0 { return "$0" }
        return abs(amount) < 0.01 ? String(format: "$%.4f", amount) : String(format: "$%.2f", amount)
    }

    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return value(fraction) }
        let p = fraction * 100
        return p != 0 && abs(p) < 1 ? String(format: "%.1f%%", p) : String(format: "%.0f%%", p)
    }

    /// A signed difference, for "vs baseline" cells.
    static func delta(_ d: Double) -> String {
        guard d.isFinite else { return value(d) }
        return (d >= 0 ? "+" : "−") + value(abs(d))
    }

    private static func significantDigits(of v: Double, step: Double) -> Int {
        guard v != 0, step > 0 else { return 1 }
        return max(1, min(4, Int(floor(log10(abs(v)))) - Int(floor(log10(step))) + 1))
    }

    /// 2e-4, 1.5e-5, 3.2e7.
    private static func scientific(_ v: Double, digits: Int) -> String {
        let text = String(format: "%.\(max(0, digits - 1))e", v)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = trimmed(String(text[..<e]))
        var exponent = String(text[text.index(after: e)...])
        let negative = exponent.hasPrefix("-")
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
        if exponent.isEmpty { exponent = "0" }
        return "\(mantissa)e\(negative ? "-" : "")\(exponent)"
    }

    /// Drops trailing zeros after a decimal point: 2.500 → 2.5, 3.000 → 3.
    private static func trimmed(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }
}
