// instruct: the skill plugin for instruction following and multi-turn dialogue. It gives the
// knowledge engine what the survey's instruction-following and dialogue methods need: Orca-style
// labeling, Self-Instruct and Evol-Instruct expansion, UltraChat-style curation, judge feedback
// (rubric, pairwise, UltraFeedback aspects, critique and revision) and self-knowledge with
// checkable answers; parsers for every template's output, Self-Instruct's quality filter, ROUGE-L
// and exact-match evaluators, and seed tasks, topics and problems.
import RetortPluginSDK

let plugin = Plugin(
    id: "instruct",
    kind: .skill,
    name: "Instruction following and dialogue",
    version: "1.0.0",
    description: "Elicits instructions, answers, multi-turn conversations and judgements from a teacher to distill "
        + "instruction following and dialogue (Self-Instruct, Evol-Instruct, Orca, UltraChat, UltraFeedback).",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": [
            "strategies": ["labeling", "expansion", "curation", "feedback", "self-knowledge"],
            "recommended_objectives": [["name": "sft", "weight": 0.5], ["name": "reverse-kl", "weight": 0.5]],
        ],
    ],
    templates: InstructTemplates.all,
    parsers: [
        Parser(
            name: "instruction-list", description: "Every listed instruction of at least 3 words, numbering and labels removed.",
            yields: ["instruction"], method: "Self-Instruct list splitting (Wang et al., 2023)",
            parse: { output, _ in try InstructionListParser.parse(output) }),
        Parser(
            name: "evolved-instruction", description: "The one rewritten instruction, without labels or the teacher's comments.",
            yields: ["instruction"], method: "Evol-Instruct rewrite extraction (Xu et al., 2023)",
            parse: { output, _ in try EvolvedInstructionParser.parse(output) }),
        Parser(
            name: "user-turn", description: "The simulated user's next message; an assistant turn is refused.",
            yields: ["message"], method: "UltraChat user simulation (Ding et al., 2023)",
            parse: { output, _ in try UserTurnParser.parse(output) }),
        Parser(
            name: "rubric-score", description: "A 1–10 score and its rationale from \"Rationale: …\\nScore: N\".",
            yields: ["score", "rationale"], method: "LLM-as-a-judge single-answer grading (Zheng et al., 2023)",
            parse: { output, _ in try RubricScoreParser.parse(output) }),
        Parser(
            name: "pairwise-verdict", description: "The better response (A, B or tie) and the rationale, from \"Verdict: …\".",
            yields: ["winner", "rationale"], method: "LLM-as-a-judge pairwise comparison (Zheng et al., 2023)",
            parse: { output, _ in try PairwiseVerdictParser.parse(output) }),
        Parser(
            name: "aspect-ratings", description: "1–5 ratings of helpfulness, honesty, instruction following and truthfulness.",
            yields: AspectRatingsParser.aspects, method: "UltraFeedback fine-grained ratings (Cui et al., 2023)",
            parse: { output, _ in try AspectRatingsParser.parse(output) }),
        Parser(
            name: "final-answer", description: "The normalized final answer after \"Answer:\" (lowercase, numbers in one spelling).",
            yields: ["answer"], method: "final-answer extraction for exact-match checking",
            parse: { output, _ in try FinalAnswer.parse(output) }),
    ],
    filters: [
        Filter(
            name: "instruction-quality",
            description: "Rejects instructions that are too short or long, start with a non-letter, end with a colon, "
                + "start with \"Write a program\" or need images, graphs, maps, files or going somewhere.",
            method: "Self-Instruct heuristic filtering (Wang et al., 2023)",
            apply: { record, _ in InstructionQualityFilter.judge(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "rouge-l", description: "ROUGE-L F-measure: longest common subsequence of lowercase word tokens.",
            metrics: ["rouge_l"],
            evaluate: { _, reference, prediction in ["rouge_l": RougeL.fMeasure(prediction: prediction, reference: reference)] }),
        Evaluator(
            name: "exact-match", description: "1 when the final answers are equal after normalization, else 0.",
            metrics: ["exact_match"],
            evaluate: { _, reference, prediction in
                let expected = FinalAnswer.comparable(reference)
                guard !expected.isEmpty else {
                    throw PluginFailure.invalidArgument("the reference answer is empty; exact-match needs one to compare with")
                }
                return ["exact_match": FinalAnswer.comparable(prediction) == expected ? 1 : 0]
            }),
    ],
    seeds: [
        SeedSet(name: "tasks", kind: "tasks", source: .items(SeedTasks.all.map(\.json)),
                description: "\(SeedTasks.all.count) short tasks with reference answers across \(SeedTasks.categories.count) kinds."),
        SeedSet(name: "topics", kind: "topics", source: .items(SeedTopics.all.map(\.json)),
                description: "A topic tree of \(SeedTopics.all.count) leaves with key points, for curation."),
        SeedSet(name: "problems", kind: "tasks", source: .items(ArithmeticProblems.all.map(\.json)),
                description: "\(ArithmeticProblems.all.count) generated arithmetic word problems with exact answers."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
