// Self-knowledge (survey §3.1.6): the student samples N answers per problem and keeps its own
// good ones — by self-consistency (the majority final answer), by a judge's score (the teacher
// grades with the rubric template), or by a plugin filter. Rounds follow ReST (Gulcehre et al.,
// 2023): each "grow" round samples again with a stricter threshold; the "improve" step between
// rounds (fine-tuning the student on what was kept) is a hook the distillation stage supplies.
import RetortJSON
import RetortTeachers

public struct SelfKnowledgeSettings: Sendable {
    public enum Selection: String, Sendable, CaseIterable { case majority, judge, filter }

    public var stage: StageSettings
    public var input: InputSource
    /// The model that samples (the student); the stage's teacher only judges.
    public var student: any Teacher
    public var samples: Int = 4
    public var selection: Selection = .majority
    /// Per round: the minimum agreement fraction (majority) or judge score (judge); the last value
    /// repeats when there are more rounds than thresholds.
    public var thresholds: [Double] = [0.5]
    public var rounds: Int = 1
    public var template: String = "solve"
    public var answerParser: String = "final-answer"
    public var judgeTemplate: String = "rubric"
    public var judgeParser: String = "rubric-score"
    /// Selection `filter`: the plugin filter that decides (receives instruction, response, answer).
    public var filter: String? = nil
    public var limit: Int? = nil
    /// ReST's improve step: given the round and the records it kept, returns the student for the
    /// next round (nil keeps the same student).
    public var improve: (@Sendable (Int, [KnowledgeRecord]) async throws -> (any Teacher))? = nil

    public init(stage: StageSettings, input: InputSource, student: any Teacher) {
        self.stage = stage
        self.input = input
        self.student = student
    }

    func threshold(round: Int) -> Double { thresholds.isEmpty ? 0 : thresholds[min(round, thresholds.count - 1)] }
}

public enum SelfKnowledge {
    public static func run(_ settings: SelfKnowledgeSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "self-knowledge", context: context)
        var parsers = [settings.answerParser]
        var templates = [settings.template]
        if settings.selection == .judge {
            templates.append(settings.judgeTemplate)
            parsers.append(settings.judgeParser)
        }
        try engine.binding.check(templates: templates, parsers: parsers, filters: settings.filter.map { [$0] } ?? [])
        if settings.selection == .filter, settings.filter == nil {
            throw InputError(message: "stage \(settings.stage.name): selection `filter` needs a plugin filter name")
        }
        _ = try engine.primeFromStore()
        var items = try settings.input.load(plugin: engine.binding.plugin, sink: context.sink)
        if let limit = settings.limit { items = Array(items.prefix(limit)) }
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var student = settings.student
        for round in 0..<max(1, settings.rounds) {
            let current = student
            var kept: [KnowledgeRecord] = []
            try await engine.run(unitIDs: items.map { "r\(round + 1)/\($0.id)" }, draft: { _, unit in
                let id = String(unit.drop(while: { $0 != "/" }).dropFirst())
                return try await grow(byID[id]!, unit: unit, round: round, student: current, settings: settings, engine: engine)
            }, afterFinalize: { _, records in kept += records })
            if let improve = settings.improve, round + 1 < settings.rounds {
                student = try await improve(round + 1, kept)
            }
        }
        return engine.report()
    }

    static func grow(_ item: InputItem, unit: String, round: Int, student: any Teacher, settings: SelfKnowledgeSettings,
                     engine: StageEngine) async throws -> UnitDraft {
        var draft = UnitDraft()
        guard let instruction = item.instruction else {
            draft.reject("input", "item \(item.id) has no instruction", payload: .object(item.fields), template: "", seedID: item.id)
            return draft
        }
        let prompt = try engine.binding.render(settings.template, ["instruction": .string(instruction)])
        var sampling = settings.stage.sampling
        sampling.seed = engine.seed(unit: unit)
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: prompt)], maxTokens: settings.stage.maxTokens,
                                     sampling: sampling, n: settings.samples)
        let response = try await student.complete(request)
        var answers: [(text: String, answer: String)] = []
        for choice in response.choices {
            switch engine.binding.parse(settings.answerParser, output: choice.text) {
            case .failure(let rejection):
                draft.reject("parser", rejection.reason, payload: ["instruction": .string(instruction), "output": .string(choice.text)],
                             template: settings.template, seedID: item.id)
            case .success(let records):
                if let answer = records[0]["answer"]?.stringValue { answers.append((choice.text, answer)) }
            }
        }
        guard !answers.isEmpty else { return draft }
        let threshold = settings.threshold(round: round)
        let counts = Dictionary(answers.map { ($0.answer, 1) }, uniquingKeysWith: +)
        let top = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
        let tied = counts.values.filter { $0 == top.value }.count > 1
        let reference = item.string("answer")
        for (index, sample) in answers.enumerated() {
            var payload: [String: JSONValue] = [
                "messages": messagesJSON([ChatMessage(role: "user", text: prompt), ChatMessage(role: "assistant", text: sample.text)]),
                "instruction": .string(instruction), "answer": .string(sample.answer), "round": .number(Double(round + 1)),
                "agreement": .number(Double(counts[sample.answer]!) / Double(response.choices.count)),
                "student": .string(student.identity.description),
            ]
            if let reference { payload["correct"] = .bool(reference == sample.answer) }
            let keepReason: String?
            switch settings.selection {
            case .majority:
                let agreement = Double(top.value) / Double(response.choices.count)
                if tied { keepReason = "no majority answer among \(response.choices.count) samples" }
                else if sample.answer != top.key { keepReason = "answer \(sample.answer) is not the majority answer \(top.key)" }
                else if agreement < threshold { keepReason = "majority agreement \(agreement) < \(threshold)" }
                else { keepReason = nil }
            case .judge:
                let output = try await engine.askText(template: settings.judgeTemplate,
                                                      values: ["instruction": .string(instruction), "response": .string(sample.text)],
                                                      unit: unit, salt: 100 + index, temperature: 0)
                switch engine.binding.parse(settings.judgeParser, output: output) {
                case .failure(let rejection): keepReason = "judge: \(rejection.reason)"
                case .success(let records):
                    let score = records[0]["score"]?.doubleValue ?? 0
                    payload["judge_score"] = .number(score)
                    keepReason = score >= threshold ? nil : "judge score \(score) < \(threshold)"
                }
            case .filter:
                keepReason = try engine.binding.firstRejection(
                    filters: [settings.filter!],
                    record: ["instruction": .string(instruction), "response": .string(sample.text), "answer": .string(sample.answer)]
                ).map { "\($0.filter): \($0.reason)" }
            }
            if let keepReason {
                draft.reject("self-knowledge.\(settings.selection.rawValue)", keepReason, payload: .object(payload),
                             template: settings.template, seedID: item.id)
            } else {
                draft.keep(Candidate(kind: .conversation, payload: .object(payload), screenText: sample.text,
                                     filterRecord: ["instruction": .string(instruction), "response": .string(sample.text)],
                                     template: settings.template, seedID: item.id, derived: true))
            }
        }
        return draft
    }
}
