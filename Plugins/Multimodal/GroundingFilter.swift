// The `grounded-in-annotations` filter: a text-only teacher answering from captions and boxes
// hallucinates easily, so every color, object and count an answer names must be in the image's
// annotations (LLaVA asks GPT-4 to stay within them; this checks it). Object hallucination is
// the failure POPE measures (Li et al., 2023); here the check is lexical, over a closed
// vocabulary (ImageVocabulary), so it rejects only what it can name.
import RetortPluginSDK

enum GroundingFilter {
    static func judge(_ record: JSONValue) -> Verdict {
        guard let facts = ImageFacts(record["annotations"]) else {
            return .reject("the record has no image annotations to check against; use this filter on labeling stages over an images seed set")
        }
        let answers = AnswerTexts.of(record)
        guard !answers.isEmpty else { return .reject("the record has no answer to check") }
        var checked = 0
        for (index, answer) in answers.enumerated() {
            let which = answers.count > 1 ? "answer \(index + 1)" : "the answer"
            let words = ImageVocabulary.words(answer)
            for (i, word) in words.enumerated() {
                if let color = ImageVocabulary.color(word) {
                    checked += 1
                    if !facts.colors.contains(color) {
                        return .reject("\(which) names the color \"\(word)\", which the image's annotations do not have "
                            + "(they have \(facts.colors.sorted().joined(separator: ", ")))", score: 0)
                    }
                }
                let noun = ImageVocabulary.singular(word)
                if ImageVocabulary.objects.contains(noun) {
                    checked += 1
                    if !facts.objects.contains(noun) {
                        return .reject("\(which) mentions \"\(word)\", which is not in the image's annotations "
                            + "(objects: \(facts.objects.sorted().joined(separator: ", ")))", score: 0)
                    }
                }
                if let count = ImageVocabulary.count(word), let problem = countProblem(count, at: i, in: words, facts: facts) {
                    return .reject("\(which) \(problem)", score: 0)
                }
            }
        }
        // Something must be said about the image: a question or answer names one of its objects.
        let said = Set((answers + questions(record)).flatMap(ImageVocabulary.words).map(ImageVocabulary.singular))
        if facts.objects.isDisjoint(with: said) {
            return .reject("no turn names any of the image's objects (\(facts.objects.sorted().joined(separator: ", ")))", score: 0)
        }
        return .keep(score: Double(checked))
    }

    /// "<count> [color or size words] <noun>" where the noun is an annotated kind must match the
    /// number of annotated objects of that kind (or a caption's own count). "one of the …" is no count.
    static func countProblem(_ count: Int, at index: Int, in words: [String], facts: ImageFacts) -> String? {
        guard let noun = ImageVocabulary.countedNoun(after: index, in: words), let annotated = facts.counts[noun] else { return nil }
        if count == annotated || facts.captionsSay(count, noun) { return nil }
        return "says \(words[index]) \(noun)\(count == 1 ? "" : "s"), but the annotations have \(annotated)"
    }

    /// The user turns of a record, else its instruction.
    static func questions(_ record: JSONValue) -> [String] {
        let asked = record["messages"]?.arrayValue?.filter { $0["role"]?.stringValue == "user" }.compactMap { $0["content"]?.stringValue } ?? []
        return asked.isEmpty ? record["instruction"]?.stringValue.map { [$0] } ?? [] : asked
    }
}

/// The assistant's answers of a record: its `messages` turns, else its `response`.
enum AnswerTexts {
    static func of(_ record: JSONValue) -> [String] {
        if let messages = record["messages"]?.arrayValue {
            let answers = messages.filter { $0["role"]?.stringValue == "assistant" }.compactMap { $0["content"]?.stringValue }
            if !answers.isEmpty { return answers }
        }
        guard let response = record["response"]?.stringValue, !response.allSatisfy(\.isWhitespace) else { return [] }
        return [response]
    }
}
