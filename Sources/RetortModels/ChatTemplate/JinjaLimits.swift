// Bounds that keep a hostile or corrupted template from crashing or hanging the process: how deep
// blocks and expressions may nest (the parser and renderer recurse over them), how deep macros may
// call each other, how many loop iterations one render may run, and how large a string or list a
// single operation may build. Real chat templates stay far below every one of them.

enum JinjaLimits {
    /// Nested blocks plus operators, subscripts, calls, filters and brackets inside one expression.
    /// jinja2 itself fails with RecursionError near this depth.
    static let nesting = 100
    /// Macro calls active at once (a macro that calls itself without end stops here).
    static let macroCalls = 40
    /// Loop iterations (including those a `for … if` filter skips) in one render.
    static let loopIterations = 1_000_000
    /// The largest string, in UTF-8 bytes, that one operation or the whole output may reach.
    static let stringBytes = 64 << 20
    /// The most elements a list built by one operation (repetition, concatenation, range) may hold.
    static let listElements = 1_000_000

    /// Throws unless a string of `bytes` UTF-8 bytes is within `stringBytes`.
    static func checkString(_ bytes: Int, _ what: String, at p: JinjaPosition) throws(ChatTemplateError) {
        guard bytes <= stringBytes else {
            throw .runtime(message: "\(what) would be \(bytes) bytes, over the \(stringBytes >> 20) MiB limit", at: p)
        }
    }

    /// Throws unless a list of `count` elements is within `listElements`.
    static func checkList(_ count: Int, _ what: String, at p: JinjaPosition) throws(ChatTemplateError) {
        guard count <= listElements else {
            throw .runtime(message: "\(what) would hold \(count) items, over the \(listElements) limit", at: p)
        }
    }

    /// `a * b` for sizes, saturating instead of trapping on overflow.
    static func product(_ a: Int, _ b: Int) -> Int {
        let (v, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : v
    }

    /// `a + b` for sizes, saturating instead of trapping (or wrapping below the limit) on overflow.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (v, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : v
    }
}
