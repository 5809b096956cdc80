// The `answers-the-image` filter: every answer must be a real answer about the image. It rejects
// empty answers, refusals to look ("I cannot see images", "As an AI…"), chatter addressed to the
// user instead of an answer ("I'm here to help…"), and answers that give the
// text-only prompt away — mentions of captions, bounding boxes or coordinate lists — since the
// student will be shown the image, not the annotations (LLaVA's instruction to GPT-4).
import RetortPluginSDK

enum AnswersTheImageFilter {
    static let refusals = [
        "i cannot see", "i can't see", "i can not see", "i am unable to see", "i'm unable to see", "unable to view",
        "i cannot view", "i can't view", "i don't have the ability to see", "i do not have the ability to see",
        "as an ai", "as a language model", "i cannot provide a description", "no image was provided", "no image provided",
        "there is no image", "i don't see an image", "i do not see an image", "without seeing the image",
    ]

    /// Small teachers often talk to the user instead of answering ("I'm here to help…").
    static let chatter = [
        "i'm here to help", "i am here to help", "i'm ready to help", "how can i help", "how can i assist",
        "can you tell me more", "could you tell me more", "what would you like", "let me know if",
    ]

    static let leaks = ["caption", "bounding box", "bounding-box", "bbox", "coordinate", "x1", "y1", "x2", "y2"]

    static func judge(_ record: JSONValue) -> Verdict {
        let answers = AnswerTexts.of(record)
        guard !answers.isEmpty else { return .reject("the record has no answer") }
        for (index, answer) in answers.enumerated() {
            let which = answers.count > 1 ? "answer \(index + 1)" : "the answer"
            let text = answer.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return .reject("\(which) is empty") }
            let lower = text.lowercased().replacingOccurrences(of: "’", with: "'")
            if let refusal = refusals.first(where: { lower.contains($0) }) {
                return .reject("\(which) refuses to look at the image (\"\(refusal)\")")
            }
            if let phrase = chatter.first(where: { lower.contains($0) }) {
                return .reject("\(which) talks to the user (\"\(phrase)\") instead of answering about the image")
            }
            if let leak = leaks.first(where: { lower.contains($0) }) {
                return .reject("\(which) mentions the annotations (\"\(leak)\") instead of describing the image")
            }
            if lower.contains(/\[\s*\d*\.\d+\s*,\s*\d*\.\d+/) {
                return .reject("\(which) quotes box coordinates instead of describing the image")
            }
        }
        return .keep()
    }
}
