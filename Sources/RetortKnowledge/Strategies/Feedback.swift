// Feedback (survey §3.1.5): the teacher judges responses. Rubric scoring (1–10 with rationale),
// multi-aspect ratings (UltraFeedback: helpfulness, honesty, instruction following,
// truthfulness), pairwise preference judged twice with the positions swapped (a judgement that
// flips with the order is rejected), and critique-and-revise (the revision is kept as a new
// conversation and as the chosen side of a preference pair).
import RetortJSON
import RetortTeachers

public struct FeedbackSettings: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        case rubric, aspects, pairwise
        case critiqueRevise = "critique-revise"
    }

    public var stage: StageSettings
    /// Conversations (instruction + response) to judge.
    public var input: InputSource
    public var mode: Mode
    /// Pairwise: the competing responses, matched by instruction; nil samples a second response
    /// from the teacher at `alternativeTemperature`.
    public var opponents: InputSource? = nil
    public var alternativeTemperature: Double = 1.0
    /// Rubric: scores below this are rejected (nil keeps every rating).
    public var minimumScore: Double? = nil
    public var templates: [String: String] = [
        "rubric": "rubric", "aspects": "aspects", "pairwise": "pairwise", "critique": "critique", "revise": "revise",
    ]
    public var parsers: [String: String] = ["rubric": "rubric-score", "aspects": "aspect-ratings", "pairwise": "pairwise-verdict"]
    public var limit: Int? = nil

    public init(stage: StageSettings, input: InputSource, mode: Mode) {
        self.stage = stage
        self.input = input
        self.mode = mode
    }
}

public enum Feedback {
    public static func run(_ settings: FeedbackSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "feedback", context: context)
        switch settings.mode {
        case .rubric, .aspects, .pairwise:
            let key = settings.mode.rawValue
            try engine.binding.check(templates: [settings.templates[key]!], parsers: [settings.parsers[key]!], filters: [])
        case .critiqueRevise:
            try engine.binding.check(templates: [settings.templates["critique"]!, settings.templates["revise"]!], parsers: [], filters: [])
        }
        _ = try engine.primeFromStore()
        var items = try settings.input.load(plugin: engine.binding.plugin, sink: context.sink)
        if let limit = settings.limit { items = Array(items.prefix(limit)) }
        var opponents: [String: String] = [:]
        if let source = settings.opponents {
            for item in try source.load(plugin: engine.binding.plugin, sink: context.sink) {
                if let instruction = item.instruction, let response = item.string("response") { opponents[instruction] = response }
            }
        }
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let opponentsByInstruction = opponents
        try await engine.run(unitIDs: items.map(\.id)) { _, unit in
            let item = byID[unit]!
            var draft = UnitDraft()
            guard let instruction = item.instruction, let response = item.string("response") else {
                draft.reject("input", "item \(item.id) needs an instruction and a response to judge", payload: .object(item.fields),
                             template: "", seedID: item.id)
                return draft
            }
            let values: [String: JSONValue] = ["instruction": .string(instruction), "response": .string(response)]
            switch settings.mode {
            case .rubric: try await rubric(item, values: values, settings: settings, engine: engine, draft: &draft)
            case .aspects: try await aspects(item, values: values, settings: settings, engine: engine, draft: &draft)
            case .pairwise:
                try await pairwise(item, instruction: instruction, response: response, opponent: opponentsByInstruction[instruction],
                                   settings: settings, engine: engine, draft: &draft)
            case .critiqueRevise:
                try await critiqueRevise(item, instruction: instruction, response: response, settings: settings, engine: engine, draft: &draft)
            }
            return draft
        }
        return engine.report()
    }

    static func conversation(_ item: InputItem, instruction: String, response: String) -> JSONValue {
        if let messages = item.messages { return .array(messages) }
        return messagesJSON([ChatMessage(role: "user", text: instruction), ChatMessage(role: "assistant", text: response)])
    }

    static func rubric(_ item: InputItem, values: [String: JSONValue], settings: FeedbackSettings, engine: StageEngine,
                       draft: inout UnitDraft) async throws {
        let template = settings.templates["rubric"]!
        let output = try await engine.askText(template: template, values: values, unit: item.id, temperature: 0)
        switch engine.binding.parse(settings.parsers["rubric"]!, output: output) {
        case .failure(let rejection):
            draft.reject("parser", rejection.reason, payload: ["output": .string(output), "source_key": .string(item.id)],
                         template: template, seedID: item.id)
        case .success(let records):
            guard let score = records[0]["score"]?.doubleValue else {
                draft.reject("parser", "the rubric parser returned no score", payload: records[0], template: template, seedID: item.id)
                return
            }
            let payload: JSONValue = [
                "messages": conversation(item, instruction: values["instruction"]!.stringValue!, response: values["response"]!.stringValue!),
                "scores": ["overall": .number(score)], "rationale": records[0]["rationale"] ?? "", "source_key": .string(item.id),
            ]
            if let minimum = settings.minimumScore, score < minimum {
                draft.reject("feedback.score", "rubric score \(score) < \(minimum)", payload: payload, template: template, seedID: item.id)
                return
            }
            draft.keep(Candidate(kind: .rating, payload: payload, screenText: values["response"]!.stringValue!, template: template,
                                 seedID: item.id, derived: true))
        }
    }

    static func aspects(_ item: InputItem, values: [String: JSONValue], settings: FeedbackSettings, engine: StageEngine,
                        draft: inout UnitDraft) async throws {
        let template = settings.templates["aspects"]!
        let output = try await engine.askText(template: template, values: values, unit: item.id, temperature: 0)
        switch engine.binding.parse(settings.parsers["aspects"]!, output: output) {
        case .failure(let rejection):
            draft.reject("parser", rejection.reason, payload: ["output": .string(output), "source_key": .string(item.id)],
                         template: template, seedID: item.id)
        case .success(let records):
            var scores = records[0].objectValue ?? [:]
            scores = scores.filter { $0.value.doubleValue != nil }
            let payload: JSONValue = [
                "messages": conversation(item, instruction: values["instruction"]!.stringValue!, response: values["response"]!.stringValue!),
                "scores": .object(scores), "source_key": .string(item.id),
            ]
            draft.keep(Candidate(kind: .rating, payload: payload, screenText: values["response"]!.stringValue!, template: template,
                                 seedID: item.id, derived: true))
        }
    }

    /// Judges (A = item, B = opponent) and (A = opponent, B = item); keeps a preference only when
    /// both orders agree.
    static func pairwise(_ item: InputItem, instruction: String, response: String, opponent: String?, settings: FeedbackSettings,
                         engine: StageEngine, draft: inout UnitDraft) async throws {
        let template = settings.templates["pairwise"]!
        var other = opponent
        if other == nil {
            let reply = try await engine.ask([ChatMessage(role: "user", text: instruction)], unit: item.id, salt: 7,
                                             temperature: settings.alternativeTemperature)
            other = reply.choices.first?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let other, !other.isEmpty, other != response else {
            draft.reject("feedback.pairwise", "no distinct second response to compare with", payload: ["instruction": .string(instruction)],
                         template: template, seedID: item.id)
            return
        }
        var winners: [String] = []
        for (salt, pair) in [(response, other), (other, response)].enumerated() {
            let output = try await engine.askText(template: template, values: [
                "instruction": .string(instruction), "response_a": .string(pair.0), "response_b": .string(pair.1),
            ], unit: item.id, salt: salt, temperature: 0)
            switch engine.binding.parse(settings.parsers["pairwise"]!, output: output) {
            case .failure(let rejection):
                draft.reject("parser", rejection.reason, payload: ["output": .string(output)], template: template, seedID: item.id)
                return
            case .success(let records):
                let verdict = records[0]["winner"]?.stringValue ?? "tie"
                // Map back to "item" / "other".
                switch verdict {
                case "A": winners.append(salt == 0 ? "item" : "other")
                case "B": winners.append(salt == 0 ? "other" : "item")
                default: winners.append("tie")
                }
            }
        }
        let payloadBase: [String: JSONValue] = ["instruction": .string(instruction), "source_key": .string(item.id)]
        guard winners[0] == winners[1], winners[0] != "tie" else {
            draft.reject("feedback.pairwise", "position-swapped judgements disagree or tie (\(winners[0]) then \(winners[1]))",
                         payload: .object(payloadBase.merging(["response_a": .string(response), "response_b": .string(other)]) { a, _ in a }),
                         template: template, seedID: item.id)
            return
        }
        let (chosen, rejected) = winners[0] == "item" ? (response, other) : (other, response)
        let prompt = messagesJSON([ChatMessage(role: "user", text: instruction)])
        draft.keep(Candidate(kind: .preference,
                             payload: .object(payloadBase.merging(["prompt": prompt, "chosen": .string(chosen), "rejected": .string(rejected)]) { a, _ in a }),
                             screenText: chosen, template: template, seedID: item.id, derived: true))
    }

    static func critiqueRevise(_ item: InputItem, instruction: String, response: String, settings: FeedbackSettings,
                               engine: StageEngine, draft: inout UnitDraft) async throws {
        let critiqueTemplate = settings.templates["critique"]!, reviseTemplate = settings.templates["revise"]!
        let critique = try await engine.askText(template: critiqueTemplate,
                                                values: ["instruction": .string(instruction), "response": .string(response)],
                                                unit: item.id, salt: 0, temperature: 0).trimmingCharacters(in: .whitespacesAndNewlines)
        let revised = try await engine.askText(template: reviseTemplate, values: [
            "instruction": .string(instruction), "response": .string(response), "critique": .string(critique),
        ], unit: item.id, salt: 1).trimmingCharacters(in: .whitespacesAndNewlines)
        if revised.isEmpty || revised == response {
            draft.reject("feedback.revise", revised.isEmpty ? "the revision is empty" : "the revision repeats the response",
                         payload: ["instruction": .string(instruction), "critique": .string(critique)], template: reviseTemplate, seedID: item.id)
            return
        }
        let conversation = messagesJSON([ChatMessage(role: "user", text: instruction), ChatMessage(role: "assistant", text: revised)])
        draft.keep(Candidate(kind: .conversation,
                             payload: ["messages": conversation, "instruction": .string(instruction), "critique": .string(critique),
                                       "revised_from": .string(response), "source_key": .string(item.id)],
                             screenText: revised, filterRecord: ["instruction": .string(instruction), "response": .string(revised)],
                             template: reviseTemplate, seedID: item.id))
        draft.keep(Candidate(kind: .preference,
                             payload: ["prompt": messagesJSON([ChatMessage(role: "user", text: instruction)]), "chosen": .string(revised),
                                       "rejected": .string(response), "critique": .string(critique), "source_key": .string(item.id)],
                             screenText: revised, template: reviseTemplate, seedID: item.id, derived: true))
    }
}
