// reasoning: the skill plugin for thinking patterns. It gives the knowledge engine chain-of-thought,
// program-of-thought and several-paths prompts with Orca-style system messages (explanation
// tuning), parsers that extract the final answer (and run programs of thought in the plugin's own
// arithmetic interpreter), self-consistency and known-answer filters, an exact-match evaluator, and
// generated arithmetic and word problems with known answers.
import RetortPluginSDK

let plugin = Plugin(
    id: "reasoning",
    kind: .skill,
    name: "Reasoning and thinking patterns",
    version: "1.0.0",
    description: "Elicits worked solutions, explanations and programs of thought from a teacher and keeps those whose "
        + "answers are right or self-consistent (chain of thought, Orca explanation tuning, program of thoughts, self-consistency).",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": [
            "strategies": ["labeling", "self-knowledge"],
            // Distilling step by step: learn the teacher's rationales (SFT), and match its
            // distributions mode-seekingly where a white-box teacher gives them (MiniLLM).
            "recommended_objectives": [["name": "sft", "weight": 0.7], ["name": "reverse-kl", "weight": 0.3]],
        ],
    ],
    templates: ReasoningTemplates.all,
    parsers: [
        Parser(
            name: "chain-of-thought", description: "The worked solution, its reasoning and its normalized final answer; "
                + "rejects outputs without reasoning steps or without an \"Answer:\" line.",
            yields: ["response", "rationale", "answer"], method: "chain-of-thought answer extraction (Wei et al., 2022)",
            parse: { output, _ in try ChainOfThoughtParser.parse(output) }),
        Parser(
            name: "final-answer", description: "The normalized final answer (\"Answer:\", \"####\", \\boxed{}, \"the answer is\").",
            yields: ["answer"], method: "final-answer extraction for exact match (GSM8K-style)",
            parse: { output, _ in
                guard let found = AnswerExtraction.extract(output) else {
                    throw PluginFailure.parse(ReasoningText.trimmed(output).isEmpty ? "the teacher output is empty"
                        : "no final answer: expected \"Answer: <number>\" (or \"####\", \\boxed{}, \"the answer is\")")
                }
                let answer = AnswerExtraction.normalize(found.text)
                guard !AnswerExtraction.isPlaceholder(answer) else {
                    throw PluginFailure.parse("the final answer \"\(ReasoningText.excerpt(found.text))\" is empty or the template's placeholder")
                }
                return [["answer": .string(answer)]]
            }),
        Parser(
            name: "program-of-thought", description: "The program from a ```python block, run by the plugin's arithmetic "
                + "interpreter (never by Python); its computed value is the answer.",
            yields: ["response", "program", "answer", "answer_source"], method: "Program of Thoughts (Chen et al., 2022)",
            parse: { output, _ in try ProgramOfThoughtParser.parse(output) }),
    ],
    filters: [
        Filter(
            name: "self-consistency",
            description: "Keeps a solution whose answer is the majority answer over several reasoning paths (the record's "
                + "\"samples\", or the paths of a self-consistency output); the score is the share that agrees.",
            method: "self-consistency majority vote (Wang et al., 2023)",
            apply: { record, _ in SelfConsistencyFilter.judge(record) }),
        Filter(
            name: "known-answer",
            description: "Keeps a solution whose final answer equals the known answer (the record's \"reference\", or the "
                + "answer of the plugin's generated problem with that instruction).",
            method: "rejection sampling on the correct answer (STaR, Zelikman et al., 2022)",
            apply: { record, _ in KnownAnswerFilter.judge(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "exact-match", description: "1 when the final answers are equal after normalization, else 0.",
            metrics: ["exact_match"],
            evaluate: { _, reference, prediction in
                let expected = AnswerExtraction.comparable(reference)
                guard !expected.isEmpty else {
                    throw PluginFailure.invalidArgument("the reference answer is empty; exact-match needs one to compare with")
                }
                return ["exact_match": AnswerExtraction.comparable(prediction) == expected ? 1 : 0]
            }),
    ],
    seeds: [
        SeedSet(name: "problems", kind: "tasks", source: .items(WordProblems.training.map(\.json)),
                description: "\(WordProblems.training.count) generated arithmetic and word problems (\(WordProblems.kinds.count) kinds) "
                    + "with exact answers, worked solutions and programs of thought."),
        SeedSet(name: "eval", kind: "eval", source: .items(WordProblems.eval.map(\.json)),
                description: "\(WordProblems.eval.count) held-out generated problems (another seed, no instruction shared with "
                    + "`problems`) for exact-match evaluation."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
