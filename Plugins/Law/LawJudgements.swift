// The law plugin's filters, parsers and evaluators that are not IRAC: the citations parser, the
// known-citations filter (an answer may cite only authorities on the citation list or listed in
// its own input), the choice parser for exam items, and the citation-validity measure.
import Foundation
import RetortPluginSDK

enum LawJudgements {
    /// The `citations` parser: one record per citation found.
    static func parseCitations(_ output: String) throws -> [JSONValue] {
        guard !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        let found = CitationScanner.scan(output)
        guard !found.isEmpty else {
            throw PluginFailure.parse("no statute or case citation in the output (such as \"42 U.S.C. § 1983\" or \"Donoghue v Stevenson [1932] AC 562\")")
        }
        return found.map { .object($0.json.mapValues { .string($0) }) }
    }

    /// The `known-citations` filter: every citation in the answer is on the list, or among the
    /// authorities the record's `input` gives. An answer that cites nothing invents nothing.
    static func judgeCitations(_ record: JSONValue, _ context: JSONValue) throws -> Verdict {
        guard let answer = record["response"]?.stringValue ?? record["answer"]?.stringValue else {
            return .reject("the record has no answer (`response`) to check", score: 0)
        }
        let cited = CitationScanner.scan(answer)
        guard !cited.isEmpty else { return .keep(score: 1) }
        let list = try CitationList.resolve(context: context).adding(CitationScanner.scan(record["input"]?.stringValue ?? ""))
        let problems = cited.compactMap { list.problem(with: $0) }
        let score = Double(cited.count - problems.count) / Double(cited.count)
        guard let first = problems.first else { return .keep(score: score) }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more unlisted citation\(problems.count > 2 ? "s" : ""))" : ""
        return .reject(first + more, score: score)
    }

    /// The `irac-complete` filter.
    static func judgeIRAC(_ record: JSONValue) -> Verdict {
        guard let answer = record["response"]?.stringValue, !answer.isEmpty else { return .reject("the record has no answer (`response`)", score: 0) }
        let missing = IRAC.missing(answer)
        let score = Double(4 - missing.count) / 4
        return missing.isEmpty ? .keep(score: 1) : .reject("the answer lacks a substantive \(IRAC.list(missing)) part (IRAC)", score: score)
    }

    /// The chosen letter of a multiple-choice answer: after "Answer:" or "The answer is" (as a
    /// letter, not the article in "Answer: A contract…"), a lone "B" or "(B)" line, or "B." / "B)"
    /// at the start of the answer.
    static func choice(_ text: String) -> String? {
        let patterns: [Regex<(Substring, Substring)>] = [
            /(?im)answer\s*(?:is)?\s*[:：]?\s*(?:\*\*)?\(?([A-D])(?=[.)\]*]|\s*$|\s*[-–—:,])/,
            /(?im)\bthe\s+(?:correct\s+)?(?:answer|option|choice)\s+is\s+(?:\*\*)?\(?([A-D])(?=[.)\]*]|\s*$|\s*[-–—:,])/,
            /(?m)^\s*(?:\*\*)?\(?([A-D])\)?(?:\*\*)?\s*$/,
            /^\s*(?:\*\*)?\(?([A-D])[.)]\s/,
        ]
        for pattern in patterns {
            if let match = text.firstMatch(of: pattern) { return match.output.1.uppercased() }
        }
        return nil
    }

    /// Whether the output repeats the options (lines "A. …", "B. …") rather than choosing one.
    static func listsOptions(_ text: String) -> Bool {
        let letters = text.split(whereSeparator: \.isNewline).compactMap { line in
            line.trimmingCharacters(in: .whitespaces).prefixMatch(of: /(?:\*\*)?\(?([A-D])[.)]\s/)?.output.1
        }
        return Set(letters).count >= 2
    }

    static func parseChoice(_ output: String) throws -> [JSONValue] {
        guard !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        if listsOptions(output), output.firstMatch(of: /(?i)answer\s*(?:is)?\s*[:：]/) == nil {
            throw PluginFailure.parse("the answer lists the options instead of choosing one (end with \"Answer: <letter>\")")
        }
        guard let letter = choice(output) else {
            throw PluginFailure.parse("no chosen option: the answer should end with \"Answer: <letter>\" for one of A, B, C, D")
        }
        return [["answer": .string(letter.lowercased()), "choice": .string(letter)]]
    }

    /// Share of the prediction's citations that are on the list (1 when it cites nothing).
    static func citationValidity(prompt: String, prediction: String) throws -> [String: Double] {
        let cited = CitationScanner.scan(prediction)
        guard !cited.isEmpty else { return ["citation_validity": 1, "citations": 0] }
        let list = try CitationList.resolve(context: [:]).adding(CitationScanner.scan(prompt))
        let known = cited.filter { list.problem(with: $0) == nil }.count
        return ["citation_validity": Double(known) / Double(cited.count), "citations": Double(cited.count)]
    }
}
