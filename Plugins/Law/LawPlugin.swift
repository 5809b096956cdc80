// law: the vertical plugin for legal question answering. It supplies IRAC system prompts and
// templates, a topic tree (areas of law → issues) for curation, parsers for IRAC answers, for
// statute and case citations and for exam answers, a filter that rejects citations not on a
// user-supplied citation list (a list of 62 authorities ships), an IRAC completeness filter,
// fact-pattern questions with the authorities they may cite, multiple-choice exam items, and a
// `check_citations` tool that checks any text against the list in force.
import RetortPluginSDK

let plugin = Plugin(
    id: "law",
    kind: .vertical,
    name: "Law (IRAC answers with verified citations)",
    version: "1.0.0",
    description: "Elicits legal answers in Issue–Rule–Application–Conclusion form and rejects any that cite a statute or case "
        + "not on the citation list; a topic tree of areas and issues, fact patterns and exam items written for the project.",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": [
            "strategies": ["labeling", "curation", "self-knowledge"],
            // SFT on filtered IRAC answers; forward KL spreads the teacher's uncertainty over
            // wordings instead of copying one, which suits legal prose.
            "recommended_objectives": [["name": "sft", "weight": 0.6], ["name": "forward-kl", "weight": 0.4]],
            "citation_list": "RETORT_LAW_CITATIONS (a file of citations, one per line) or the shipped list",
        ],
    ],
    templates: LawTemplates.all,
    parsers: [
        Parser(
            name: "irac", description: "The Issue, Rule, Application (or Analysis) and Conclusion parts, each at least three words; "
                + "the response is the four parts relabelled.",
            yields: ["response", "issue", "rule", "application", "conclusion"], method: "IRAC legal reasoning structure",
            parse: { output, _ in try IRAC.parse(output) }),
        Parser(
            name: "citations", description: "Every statute or case citation (U.S. and English reports, U.S.C., C.F.R., U.C.C., "
                + "federal rules, U.S. Constitution, Acts, EU law, named cases), one record each with its normalized key.",
            yields: ["citation", "kind", "normalized"], method: "Bluebook / OSCOLA citation recognition",
            parse: { output, _ in try LawJudgements.parseCitations(output) }),
        Parser(
            name: "choice", description: "The option letter chosen in a multiple-choice answer (\"Answer: B\"), lowercase.",
            yields: ["answer", "choice"], method: "multiple-choice answer extraction (exam-style evaluation)",
            parse: { output, _ in try LawJudgements.parseChoice(output) }),
        Parser(
            name: "question-list", description: "Every listed question of at least 3 words, numbering and labels removed.",
            yields: ["instruction"], method: "list splitting for topic-tree curation",
            parse: { output, _ in try QuestionList.parse(output) }),
    ],
    filters: [
        Filter(
            name: "known-citations",
            description: "Rejects an answer that cites any statute or case not on the citation list (the context's `citations` or "
                + "`citations_file`, else RETORT_LAW_CITATIONS, else the shipped list) or among the authorities in the record's `input`.",
            method: "citation verification against a trusted list (hallucinated-citation filtering)",
            apply: { record, context in try LawJudgements.judgeCitations(record, context) }),
        Filter(
            name: "irac-complete", description: "Keeps an answer with substantive Issue, Rule, Application and Conclusion parts.",
            method: "IRAC structure check",
            apply: { record, _ in LawJudgements.judgeIRAC(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "multiple-choice", description: "1 when the chosen letter equals the reference letter, else 0.",
            metrics: ["accuracy"],
            evaluate: { _, reference, prediction in
                guard let expected = LawJudgements.choice(reference) ?? reference.trimmingCharacters(in: .whitespaces).uppercased().first.map(String.init),
                      "ABCD".contains(expected) else {
                    throw PluginFailure.invalidArgument("multiple-choice needs the correct letter (A–D) as the reference, got \"\(reference)\"")
                }
                return ["accuracy": LawJudgements.choice(prediction) == expected ? 1 : 0]
            }),
        Evaluator(
            name: "citation-validity", description: "Share of the prediction's citations that are on the citation list or in the prompt (1 when it cites none).",
            metrics: ["citation_validity", "citations"],
            evaluate: { prompt, _, prediction in try LawJudgements.citationValidity(prompt: prompt, prediction: prediction) }),
        Evaluator(
            name: "irac-structure", description: "Share of the four IRAC parts the prediction has with substance.",
            metrics: ["irac_parts"],
            evaluate: { _, _, prediction in ["irac_parts": Double(4 - IRAC.missing(prediction).count) / 4] }),
    ],
    tools: CitationTools.all,
    seeds: [
        SeedSet(name: "topics", kind: "topics",
                source: .items(LegalArea.tree.flatMap { area in area.issues.map { issue in
                    ["id": .string("\(area.id)/\(issue.id)"), "topic": .string("\(area.name): \(issue.name)"), "area": .string(area.name),
                     "issue": .string(issue.name), "knowledge": .string(issue.keyPoints)] } }),
                description: "A topic tree of \(LegalArea.tree.count) areas of law and \(LegalArea.tree.map(\.issues.count).reduce(0, +)) issues with key points."),
        SeedSet(name: "questions", kind: "tasks",
                source: .items(LegalQuestion.shipped.map { q in
                    ["id": .string(q.id), "instruction": .string(q.question), "area": .string(q.area),
                     "input": .string(q.authorities.map { "- \($0)" }.joined(separator: "\n"))] }),
                description: "\(LegalQuestion.shipped.count) fact patterns, each with the authorities it may cite as its `input`."),
        SeedSet(name: "exam", kind: "eval",
                source: .items(ExamItem.shipped.map { item in
                    ["id": .string(item.id), "instruction": .string(item.prompt), "answer": .string(item.answer.lowercased()),
                     "area": .string(item.area)] }),
                description: "\(ExamItem.shipped.count) multiple-choice exam items with the correct letter."),
        SeedSet(name: "citations", kind: "documents",
                source: .items(KnownAuthority.shipped.map { a in
                    ["citation": .string(a.citation), "kind": .string(a.kind), "jurisdiction": .string(a.jurisdiction)] }),
                description: "The shipped citation list the known-citations filter checks against."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
