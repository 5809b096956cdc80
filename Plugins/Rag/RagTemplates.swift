// The rag plugin's prompt templates, addressed as `rag.<name>`: SAIL's search-augmented
// instruction (numbered results, some irrelevant, answer with [n] citations), a system message,
// and questions written from a passage for curation.
import RetortPluginSDK

enum RagTemplates {
    static let all: [Template] = [
        Template(
            name: "system-grounded", role: .system, strategy: "labeling", slots: [],
            text: """
                You answer questions using search results. Some results are irrelevant: ignore them. \
                Use only facts stated in the relevant results, and cite each one by its number in square brackets.
                """,
            description: "System message for grounded, cited answers."),
        Template(
            name: "search-augmented", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                Question: {{instruction}}

                Search results:
                {{input}}

                Some search results do not help with the question. Find the result that answers it and answer in one or \
                two sentences using only what that result says. End each sentence with the number of the result in \
                square brackets, like this: Green tea comes from the leaves of the tea plant [2].
                """,
            description: "SAIL: numbered search results (the seed's `input`) and a question → a cited answer (parser: cited-answer, filter: grounded)."),
        Template(
            name: "quote-answer", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                Question: {{instruction}}

                Search results:
                {{input}}

                Which search result answers the question? Copy the sentence from that result that answers it, \
                then write the result's number in square brackets.
                """,
            description: "Extractive variant for small teachers: quote the supporting sentence and cite it (parser: cited-answer, filter: grounded)."),
        Template(
            name: "passage-questions", role: .user, strategy: "curation", slots: ["topic", "count", "knowledge"],
            text: """
                Read this passage about {{topic}}:{{#knowledge}}
                {{knowledge}}{{/knowledge}}

                Write {{count}} different questions that the passage answers. Each must make sense on its own, \
                without the passage. Write one per line, numbered 1., 2., 3., and nothing else.
                """,
            description: "Questions a passage answers (seed set `passages`), for building search-augmented data from a corpus."),
    ]
}
