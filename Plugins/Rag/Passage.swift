// A passage of a corpus (a unit of retrieval) and a question about the default corpus.
import RetortPluginSDK

struct Passage: Sendable, Hashable {
    var id: String
    var topic: String
    var title: String
    var text: String

    /// "The Sun: The Sun produces energy …", as search results show it.
    var display: String { title.isEmpty ? text : "\(title): \(text)" }
}

struct CorpusQuestion: Sendable {
    var id: String
    /// The id of the passage that answers it.
    var passage: String
    var question: String
    var answer: String
    /// Words of that passage that support the answer.
    var support: String
}
