// `aspect-ratings`: UltraFeedback's fine-grained ratings (Cui et al., 2023) of one response, 1–5
// on helpfulness, honesty, instruction following and truthfulness (the `aspects` template) →
// [{"helpfulness", "honesty", "instruction_following", "truthfulness"}]. Each aspect is read from
// its own line ("Helpfulness: 4", "- **Honesty**: 5/5", or UltraFeedback's "Rating: 4" on the line
// below the aspect's name); all four are required and each must be in 1…5.
import RetortPluginSDK

enum AspectRatingsParser {
    static let aspects = ["helpfulness", "honesty", "instruction_following", "truthfulness"]
    static let range = 1.0...5.0

    static func parse(_ output: String) throws -> [JSONValue] {
        let lines = TeacherText.lines(output)
        guard lines.contains(where: { !$0.isEmpty }) else { throw PluginFailure.parse("the teacher output is empty") }
        let name = /(?i)^[\s\d.)#*_•-]*(helpfulness|honesty|instruction[\s_-]*following|truthfulness)\b/
        let ratingLine = /(?i)^[\s*_•-]*(?:rating|score)\s*(?:\*\*|__)?\s*[:：=-]\s*/
        var ratings: [String: Double] = [:]
        for (index, line) in lines.enumerated() {
            guard let match = line.prefixMatch(of: name) else { continue }
            let aspect = key(String(match.output.1))
            guard ratings[aspect] == nil else { continue }  // the first rating of an aspect counts
            var score = rating(after: line[match.range.upperBound...])
            if score == nil, let next = lines[(index + 1)...].first(where: { !$0.isEmpty }),
               let label = next.prefixMatch(of: ratingLine) {
                score = TeacherText.leadingScore(next[label.range.upperBound...])
            }
            guard let score else { continue }
            if let outOf = score.outOf, outOf != range.upperBound {
                throw PluginFailure.parse("\(aspect) rating \(TeacherText.format(score.value))/\(TeacherText.format(outOf)) is not on the 1–5 scale")
            }
            guard range.contains(score.value) else {
                throw PluginFailure.parse("\(aspect) rating \(TeacherText.format(score.value)) is outside 1…5")
            }
            ratings[aspect] = score.value
        }
        let missing = aspects.filter { ratings[$0] == nil }
        guard missing.isEmpty else {
            throw PluginFailure.parse("no rating for \(missing.joined(separator: ", ")) in the teacher output "
                + "(expected lines like \"Helpfulness: 4\" for all of \(aspects.joined(separator: ", ")))")
        }
        return [.object(ratings.mapValues { .number($0) })]
    }

    /// The rating in the rest of an aspect's line: after its colon if it has one ("(1-5): 4",
    /// "**: 5/5"), else after the separators ("- 4", " = 3").
    static func rating(after rest: Substring) -> (value: Double, outOf: Double?)? {
        var value = rest
        if let colon = value.firstIndex(where: { $0 == ":" || $0 == "：" }) { value = value[value.index(after: colon)...] }
        value = value.drop(while: { " *_=-–—\t".contains($0) })
        return TeacherText.leadingScore(value)
    }

    /// "Instruction-following", "instruction following" → "instruction_following".
    static func key(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" || $0.isWhitespace })
            .joined(separator: "_")
    }
}
