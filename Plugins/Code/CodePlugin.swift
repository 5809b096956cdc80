// code: the skill plugin for code generation. The teacher writes Python solutions and unit tests;
// every one is executed in a sandbox (a contained child process: namespaces, Landlock, rlimits, a
// wall-clock deadline, a throwaway folder) and kept only when the tests really pass (execution-
// verified filtering, as in Code Llama's and PERsD's data pipelines). Failing student code can be
// shown to the teacher with its execution error (PERsD's refinement), and pass@1 scores models.
import RetortPluginSDK

let plugin = Plugin(
    id: "code",
    kind: .skill,
    name: "Code generation (Python, sandboxed execution)",
    version: "1.0.0",
    description: "Elicits Python solutions and unit tests from a teacher and keeps only what passes when executed in a sandbox "
        + "(no network, CPU, memory and process limits, throwaway folder); PERsD refinement with execution errors; pass@1.",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": [
            "strategies": ["labeling", "expansion", "self-knowledge", "feedback", "refinement"],
            // SFT on execution-verified programs carries most of the signal; a forward-KL term keeps
            // the student's token distribution close to the teacher's where tests cannot look.
            "recommended_objectives": [["name": "sft", "weight": 0.8], ["name": "forward-kl", "weight": 0.2]],
            "languages": ["python"],
        ],
    ],
    templates: CodeTemplates.all,
    parsers: [
        Parser(
            name: "python-code", description: "The Python code of the answer: fenced ```python blocks that define something, else the "
                + "unfenced def/class region; must define a function.",
            yields: ["response", "code", "answer", "language", "functions"], method: "code-block extraction (MBPP / HumanEval answer format)",
            parse: { output, _ in try PythonCode.parse(output) }),
        Parser(
            name: "unit-tests", description: "Assert statements (also pytest functions and unittest assertEqual/True/False, rewritten), "
                + "with standard-library imports; trivially true asserts dropped.",
            yields: ["response", "tests", "count"], method: "test extraction for generated unit tests (CodeT, Chen et al., 2022)",
            parse: { output, _ in try UnitTests.parse(output) }),
        Parser(
            name: "problem-list", description: "Every listed problem of at least 5 words, numbering and labels removed.",
            yields: ["instruction"], method: "Self-Instruct list splitting, for code (Code Alpaca)",
            parse: { output, _ in try ProblemStatements.parse(output) }),
    ],
    filters: [
        Filter(
            name: "passes-tests",
            description: "Runs the record's code against its tests (`tests`, else asserts in `input` or `instruction`) in the sandbox; "
                + "keeps it only when every test passes. The reason names the failing assert and what the code returned, the limit "
                + "that stopped it, or what the sandbox refused. Context {\"sandbox\": {…}} may set limits.",
            method: "execution-verified filtering (Code Llama; PERsD, Chen et al., 2023)",
            apply: { record, context in try ExecutionFilters.passesTests(record, context) }),
        Filter(
            name: "tests-pass-reference",
            description: "Runs generated tests (the record's `response`) against the reference solution (`reference` or `input`); "
                + "keeps them only when they all pass, so wrong expected values are caught.",
            method: "test validation against a reference implementation (CodeT, Chen et al., 2022)",
            apply: { record, context in try ExecutionFilters.testsPassReference(record, context) }),
        Filter(
            name: "testable-problem",
            description: "Keeps problem statements that ask for a function and need no files, network, user input, GUI, clock or randomness.",
            method: "heuristic filtering of generated problems (Self-Instruct / Code Alpaca)",
            apply: { record, _ in ProblemStatements.judgeTestable(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "pass-at-1", description: "Runs the prediction's code against the reference tests in the sandbox: pass@1 is 1 when all pass; "
                + "tests_passed is the share that passed.",
            metrics: ["pass@1", "tests_passed"],
            evaluate: { prompt, reference, prediction in try PassAtOne.evaluate(prompt: prompt, reference: reference, prediction: prediction) }),
    ],
    tools: SandboxTools.all,
    seeds: [
        SeedSet(name: "problems", kind: "tasks", source: .items(CodeProblem.all.map(\.solveItem)),
                description: "\(CodeProblem.all.count) Python problems over \(CodeProblem.topics.count) topics; the tests are the `input`."),
        SeedSet(name: "problems-inline", kind: "tasks", source: .items(CodeProblem.all.map(\.inlineItem)),
                description: "The same problems with the tests in the instruction, for self-knowledge sampling with passes-tests."),
        SeedSet(name: "test-writing", kind: "tasks", source: .items(CodeProblem.all.map(\.testWritingItem)),
                description: "The same problems with the reference solution as the `input`, for eliciting unit tests."),
        SeedSet(name: "eval", kind: "eval",
                source: .items(CodeProblem.all.map { ["id": .string($0.id), "prompt": .string($0.instruction), "reference": .string($0.tests)] }),
                description: "The problems as pass@1 evaluation items: prompt and reference tests."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
