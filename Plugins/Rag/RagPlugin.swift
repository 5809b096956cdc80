// rag: the skill plugin for retrieval-augmented generation. Questions come with numbered search
// results from a BM25 index — relevant hits and distractors, as in SAIL (Luo et al., 2023) — and
// the teacher answers with [n] citations; a grounding filter keeps an answer only when every
// citation exists and supports its sentence. Evaluators: citation precision, answer correctness.
// A small corpus written for the project ships; any folder of .jsonl/.txt/.md files can replace it
// through the `build_dataset` tool.
import RetortPluginSDK

let plugin = Plugin(
    id: "rag",
    kind: .skill,
    name: "Retrieval-augmented generation (search-augmented, cited answers)",
    version: "1.0.0",
    description: "Elicits answers grounded in BM25 search results with [n] citations (SAIL-style relevant and distractor passages); "
        + "keeps only answers whose citations exist and support them; citation precision and answer correctness.",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": [
            "strategies": ["labeling", "curation"],
            // The cited wording is the target, so SFT leads; reverse KL keeps the student from
            // spreading mass over answers the results do not support (MiniLLM's mode seeking).
            "recommended_objectives": [["name": "sft", "weight": 0.7], ["name": "reverse-kl", "weight": 0.3]],
            "retriever": "bm25",
        ],
    ],
    templates: RagTemplates.all,
    parsers: [
        Parser(
            name: "cited-answer", description: "The answer, its text without citation marks, and the result numbers it cites ([2], [1, 3], [1-2], [Result 2]).",
            yields: ["response", "answer", "citations"], method: "citation extraction for attributed answers (SAIL; ALCE, Gao et al., 2023)",
            parse: { output, _ in try Citations.parse(output) }),
        Parser(
            name: "question-list", description: "Every listed question of at least 3 words, numbering and labels removed.",
            yields: ["instruction"], method: "list splitting for question generation from documents",
            parse: { output, _ in try QuestionList.parse(output) }),
    ],
    filters: [
        Filter(
            name: "grounded",
            description: "Keeps an answer (`response`) only when it cites results and every cited result exists in the record's "
                + "`input` and contains what the citing sentence says: half its content words and all its numbers and names.",
            method: "citation grounding check (lexical attribution, after ALCE citation precision)",
            apply: { record, _ in Grounding.judge(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "citation-precision",
            description: "Share of the prediction's citations that point at a result in the prompt which supports the citing sentence.",
            metrics: ["citation_precision", "citations"],
            evaluate: { prompt, _, prediction in
                let results = Grounding.passages(in: prompt)
                guard !results.isEmpty else {
                    throw PluginFailure.invalidArgument("citation-precision needs the prompt with its numbered search results ([1] …)")
                }
                let check = Grounding.check(answer: prediction, passages: results)
                return ["citation_precision": check.precision, "citations": Double(check.total)]
            }),
        Evaluator(
            name: "answer-correctness", description: "Token F1 against the reference answer (SQuAD) and whether the prediction contains it.",
            metrics: ["answer_f1", "answer_contains"],
            evaluate: { _, reference, prediction in
                guard !AnswerCorrectness.tokens(reference).isEmpty else {
                    throw PluginFailure.invalidArgument("answer-correctness needs a reference answer")
                }
                return AnswerCorrectness.scores(reference: reference, prediction: prediction)
            }),
    ],
    tools: RagTools.all,
    seeds: [
        SeedSet(name: "questions", kind: "tasks", source: .items(SearchAugmented.shippedItems),
                description: "\(CorpusQuestion.shipped.count) questions over the shipped corpus, each with 4 numbered search results "
                    + "(BM25 hits incl. the answering passage, and distractors), a reference answer and the relevant numbers."),
        SeedSet(name: "passages", kind: "documents",
                source: .items(Passage.shipped.map { ["id": .string($0.id), "topic": .string($0.title), "knowledge": .string($0.text),
                                                       "area": .string($0.topic)] }),
                description: "The shipped corpus: \(Passage.shipped.count) passages on \(Set(Passage.shipped.map(\.topic)).count) topics."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
