// `self-consistency`: keeps a solution only when its answer is the majority answer over several
// reasoning paths (Wang et al., 2023, "Self-Consistency Improves Chain of Thought Reasoning").
// The paths are the record's `samples` (sibling outputs or bare answers, when the caller has them),
// else the paths inside one response written with the `self-consistency` template ("Path 1: …
// Answer: 12 … Path 3: … Answer: 12 … Final answer: 12"). The record's own answer is its `answer`
// field, else its "Final answer:" line; without one the majority alone decides. The score is the
// share of paths that agree.
import RetortPluginSDK

enum SelfConsistencyFilter {
    static let minimumPaths = 2

    static func judge(_ record: JSONValue) -> Verdict {
        let paths: [String]
        let ownAnswer: String?
        if let samples = record["samples"] {
            guard let items = samples.arrayValue else {
                return .reject("the record's \"samples\" is \(samples.typeName); expected an array of outputs or answers", score: 0)
            }
            paths = items.compactMap(sampleAnswer).filter { !AnswerExtraction.isPlaceholder($0) }
            ownAnswer = record["answer"]?.stringValue.map(AnswerExtraction.normalize)
                ?? record["response"]?.stringValue.flatMap { AnswerExtraction.extract($0) }.map { AnswerExtraction.normalize($0.text) }
        } else if let response = record["response"]?.stringValue {
            let read = pathAnswers(in: response)
            paths = read.paths
            ownAnswer = record["answer"]?.stringValue.map(AnswerExtraction.normalize) ?? read.final
        } else {
            return .reject("the record has neither \"samples\" nor a string \"response\" to take reasoning paths from", score: 0)
        }
        guard paths.count >= minimumPaths else {
            return .reject("only \(paths.count) reasoning path\(paths.count == 1 ? "" : "s") with an answer; self-consistency needs at least "
                + "\(minimumPaths) (use the self-consistency template or pass \"samples\")", score: 0)
        }
        var counts: [String: Int] = [:]
        for answer in paths { counts[answer, default: 0] += 1 }
        let ranked = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        let top = ranked[0]
        let agreement = Double(top.value) / Double(paths.count)
        let tally = ranked.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
        if ranked.count > 1, ranked[1].value == top.value {
            return .reject("no majority answer among \(paths.count) paths: \(tally)", score: agreement)
        }
        if agreement < 0.5 {
            return .reject("the most common answer \(top.key) has only \(top.value) of \(paths.count) paths: \(tally)", score: agreement)
        }
        if let own = ownAnswer, own != top.key {
            return .reject("the final answer \(own) is not the majority answer \(top.key) (\(top.value) of \(paths.count) paths)",
                           score: agreement)
        }
        return .keep(score: agreement)
    }

    /// A sample: a bare answer ("12"), a whole output (its final answer), or {"answer"}/{"response"}.
    static func sampleAnswer(_ sample: JSONValue) -> String? {
        if let text = sample.stringValue { return AnswerExtraction.comparable(text) }
        if let answer = sample["answer"]?.stringValue { return AnswerExtraction.normalize(answer) }
        if let response = sample["response"]?.stringValue { return AnswerExtraction.extract(response).map { AnswerExtraction.normalize($0.text) } }
        return nil
    }

    /// The answer of every path ("Answer: …" lines) and the "Final answer: …" line, if any.
    static func pathAnswers(in response: String) -> (paths: [String], final: String?) {
        let lines = ReasoningText.lines(response)
        var paths: [String] = []
        var final: String?
        for (index, line) in lines.enumerated() {
            guard let match = line.matches(of: AnswerExtraction.label).last else { continue }
            var text = ReasoningText.trimmed(line[match.range.upperBound...])
            if text.isEmpty, let next = lines[(index + 1)...].first(where: { !$0.isEmpty }) { text = next }
            let answer = AnswerExtraction.normalize(text)
            if AnswerExtraction.isPlaceholder(answer) { continue }
            if line[match.range].lowercased().contains("final") { final = answer } else { paths.append(answer) }
        }
        return (paths, final)
    }
}
