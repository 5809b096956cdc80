// The `detailed-description` parser: one paragraph describing the image, stored as the answer to
// one of LLaVA-style description requests (the request is picked by a stable hash of the text, so
// the student sees varied wordings and a re-run picks the same). A lead-in ("Sure! Here is a
// detailed description:") and a "Description:" label are dropped; empty or very short outputs
// and outputs that are a question/answer list instead are rejected.
import RetortPluginSDK

enum DetailedDescription {
    static let minimumWords = 8
    static let maximumCharacters = 4_000

    /// Requests for a detailed description, written for this project in the manner of LLaVA's list.
    static let requests = [
        "Describe the image in detail.",
        "What do you see in this image? Describe it thoroughly.",
        "Give a detailed description of this picture.",
        "Explain what is shown in the image, object by object.",
        "Write a detailed account of everything in this image.",
        "Describe the objects in this image, with their colors and positions.",
    ]

    static func parse(_ output: String) throws -> [JSONValue] {
        var lines = output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let first = lines.first, first.hasSuffix(":"), first.split(separator: " ").count <= 12, lines.count > 1 { lines.removeFirst() }
        var text = lines.joined(separator: " ").replacingOccurrences(of: "**", with: "")
        text = text.replacing(/^(?i)(detailed\s+)?description\s*:\s*/, with: "")
        text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw PluginFailure.parse("the description is empty") }
        guard text.count <= maximumCharacters else {
            throw PluginFailure.parse("the description has \(text.count) characters, more than \(maximumCharacters)")
        }
        if QuestionAnswerTurns.labelled(text) != nil {
            throw PluginFailure.parse("the output is a question/answer list, not a description")
        }
        let words = text.split(whereSeparator: \.isWhitespace).count
        guard words >= minimumWords else {
            throw PluginFailure.parse("the description has \(words) words; a detailed description needs at least \(minimumWords)")
        }
        return [["question": .string(request(for: text)), "answer": .string(text)]]
    }

    /// FNV-1a of the text picks the request.
    static func request(for text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return requests[Int(hash % UInt64(requests.count))]
    }
}
