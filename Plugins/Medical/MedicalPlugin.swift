// medical: the vertical plugin for medical question answering. It gives the knowledge engine
// domain system prompts, a topic tree (specialties → conditions → question types) for curation,
// a structured-answer parser (answer, rationale, professional guidance), safety filters (no dose
// without context, emergency signposting, professional guidance, no false reassurance),
// exam-style multiple-choice items with an accuracy evaluator, and helpfulness-and-harmlessness
// judging templates for preference data.
import RetortPluginSDK

let plugin = Plugin(
    id: "medical",
    kind: .vertical,
    name: "Medical question answering",
    version: "1.0.0",
    description: "Elicits structured, safety-filtered answers to patient questions, exam-style multiple-choice answers and "
        + "helpfulness-and-harmlessness preferences from a teacher, for a general health-information assistant (not a diagnostic tool).",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": [
            "strategies": ["labeling", "curation", "feedback", "self-knowledge"],
            // Answers are learned from the teacher (SFT); the preference pairs of the `pairwise`
            // judge teach the safer of two answers (DPO).
            "recommended_objectives": [["name": "sft", "weight": 0.8], ["name": "dpo", "weight": 0.2]],
        ],
    ],
    templates: MedicalTemplates.all,
    parsers: [
        Parser(
            name: "structured-answer", description: "Answer, rationale and guidance parts; rejects a reply missing a part or whose "
                + "guidance never points to a health professional.",
            yields: ["answer", "rationale", "guidance", "response"], method: "structured medical answers with professional guidance",
            parse: { output, _ in try StructuredAnswerParser.parse(output) }),
        Parser(
            name: "mcq-choice", description: "The one option letter chosen (\"Answer: B\"); rejects replies that choose none or several.",
            yields: ["answer", "rationale"], method: "exam-style multiple-choice answer extraction (MedQA-style scoring)",
            parse: { output, _ in try MultipleChoiceParser.parse(output) }),
        Parser(
            name: "question-list", description: "Every numbered patient question of at least three words.",
            yields: ["instruction"], method: "list splitting for topic-tree curation (UltraChat-style meta-topics)",
            parse: { output, _ in try QuestionListParser.parse(output) }),
        Parser(
            name: "pairwise-verdict", description: "The safer, more helpful answer (A, B or tie) and the rationale.",
            yields: ["winner", "rationale"], method: "pairwise helpfulness-and-harmlessness preference (Bai et al., 2022)",
            parse: { output, _ in try JudgementParsers.verdict(output) }),
        Parser(
            name: "rubric-score", description: "A 1–10 helpfulness-and-harmlessness score and its rationale.",
            yields: ["score", "rationale"], method: "LLM-as-a-judge single-answer grading (Zheng et al., 2023)",
            parse: { output, _ in try JudgementParsers.score(output) }),
    ],
    filters: [
        Filter(
            name: "dosing-context", description: "Rejects an answer that states a medicine dose without saying whom it is for "
                + "(age, weight, kidney or liver function, pregnancy) and to confirm it with a doctor, pharmacist or the label.",
            method: "medication-safety screening", apply: { record, _ in DosingFilter.judge(record) }),
        Filter(
            name: "emergency-signposting", description: "Rejects an answer to a red-flag situation (chest pain, stroke signs, "
                + "breathing difficulty, suicidal thoughts, anaphylaxis, poisoning, …) that does not send the reader to emergency care.",
            method: "red-flag triage signposting", apply: { record, _ in EmergencyFilter.judge(record) }),
        Filter(
            name: "professional-guidance", description: "Rejects an answer that never suggests consulting a doctor, nurse, pharmacist "
                + "or emergency services.",
            method: "\"consult a professional\" guidance check", apply: { record, _ in ProfessionalGuidanceFilter.judge(record) }),
        Filter(
            name: "no-false-reassurance", description: "Rejects an answer that rules out seeing a doctor, tells the reader to stop "
                + "prescribed medicine, or claims a certain diagnosis.",
            method: "harmful-reassurance screening", apply: { record, _ in FalseReassuranceFilter.judge(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "mcq-accuracy", description: "1 when the predicted option letter equals the reference letter, else 0.",
            metrics: ["mcq_accuracy"],
            evaluate: { _, reference, prediction in
                guard let expected = MultipleChoiceParser.letter(of: reference) else {
                    throw PluginFailure.invalidArgument("the reference \"\(MedicalText.excerpt(reference))\" names no option letter A–E")
                }
                return ["mcq_accuracy": MultipleChoiceParser.letter(of: prediction) == expected ? 1 : 0]
            }),
    ],
    seeds: [
        SeedSet(name: "topics", kind: "topics", source: .items(TopicTree.leaves.map(\.json)),
                description: "A topic tree: \(TopicTree.specialties.count) specialties → \(TopicTree.conditions.count) conditions → "
                    + "\(TopicTree.leaves.count) question-type leaves with key points, for curation."),
        SeedSet(name: "exam", kind: "eval", source: .items(ExamItems.all.map(\.json)),
                description: "\(ExamItems.all.count) exam-style multiple-choice items with answer letters and explanations."),
        SeedSet(name: "safety-probes", kind: "tasks", source: .items(SafetyProbes.all.map(\.json)),
                description: "\(SafetyProbes.all.count) questions that tempt unsafe answers (emergencies, doses, skipping the doctor)."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
