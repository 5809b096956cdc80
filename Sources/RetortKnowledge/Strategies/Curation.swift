// Data curation (survey §3.1.3): meta-information — a topic tree with knowledge points, or
// documents — becomes instructions, and, UltraChat-style, multi-turn conversations: a teacher
// playing the user (the user-simulator template) talks with the teacher as assistant.
import RetortJSON
import RetortTeachers

public struct CurationSettings: Sendable {
    public var stage: StageSettings
    /// Topic items: `topic` (or `instruction`), optional `knowledge` / `document`.
    public var topics: InputSource
    public var questionsPerTopic: Int = 3
    public var questionTemplate: String = "topic-questions"
    public var questionParser: String = "instruction-list"
    /// Turn each question into a conversation of `turns` user–assistant exchanges (0: questions only).
    public var turns: Int = 2
    public var userTemplate: String = "user-simulator"
    public var userParser: String = "user-turn"
    public var limit: Int? = nil

    public init(stage: StageSettings, topics: InputSource) {
        self.stage = stage
        self.topics = topics
    }
}

public enum Curation {
    public static func run(_ settings: CurationSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "curation", context: context)
        var templates = [settings.questionTemplate]
        var parsers = [settings.questionParser]
        if settings.turns > 1 {
            templates.append(settings.userTemplate)
            parsers.append(settings.userParser)
        }
        try engine.binding.check(templates: templates, parsers: parsers, filters: [])
        _ = try engine.primeFromStore()
        var items = try settings.topics.load(plugin: engine.binding.plugin, sink: context.sink)
        if let limit = settings.limit { items = Array(items.prefix(limit)) }
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        try await engine.run(unitIDs: items.map(\.id)) { _, unit in
            try await curate(byID[unit]!, settings: settings, engine: engine)
        }
        return engine.report()
    }

    static func curate(_ item: InputItem, settings: CurationSettings, engine: StageEngine) async throws -> UnitDraft {
        var draft = UnitDraft()
        guard let topic = item.string("topic") ?? item.instruction, !topic.isEmpty else {
            draft.reject("input", "topic item \(item.id) has no `topic`", payload: .object(item.fields), template: "", seedID: item.id)
            return draft
        }
        let knowledge = item.string("knowledge") ?? item.string("document") ?? ""
        let output = try await engine.askText(
            template: settings.questionTemplate,
            values: ["topic": .string(topic), "count": .number(Double(settings.questionsPerTopic)), "knowledge": .string(knowledge)],
            unit: item.id)
        let questions: [String]
        switch engine.binding.parse(settings.questionParser, output: output) {
        case .failure(let rejection):
            draft.reject("parser", rejection.reason, payload: ["topic": .string(topic), "output": .string(output)],
                         template: settings.questionTemplate, seedID: item.id)
            return draft
        case .success(let records):
            questions = Array(records.compactMap { $0["instruction"]?.stringValue }.prefix(settings.questionsPerTopic))
        }
        for (index, question) in questions.enumerated() {
            if settings.turns == 0 {
                draft.keep(Candidate(kind: .instruction, payload: ["instruction": .string(question), "topic": .string(topic)],
                                     screenText: question, filterRecord: ["instruction": .string(question)],
                                     template: settings.questionTemplate, seedID: item.id))
                continue
            }
            try await selfChat(question: question, topic: topic, index: index, item: item, settings: settings,
                               engine: engine, draft: &draft)
        }
        return draft
    }

    /// Alternates assistant answers and simulated user turns; keeps the conversation if every turn
    /// came out usable, else rejects it with the failing turn's reason.
    static func selfChat(question: String, topic: String, index: Int, item: InputItem, settings: CurationSettings,
                         engine: StageEngine, draft: inout UnitDraft) async throws {
        let unit = "\(item.id)#\(index)"
        var conversation = [ChatMessage(role: "user", text: question)]
        for turn in 0..<settings.turns {
            let reply = try await engine.ask(conversation, unit: unit, salt: 2 * turn)
            guard let answer = reply.choices.first?.text.trimmingCharacters(in: .whitespacesAndNewlines), !answer.isEmpty else {
                draft.reject("curation.turn", "the assistant turn \(turn + 1) is empty", payload: ["messages": messagesJSON(conversation)],
                             template: settings.userTemplate, seedID: item.id)
                return
            }
            conversation.append(ChatMessage(role: "assistant", text: answer))
            if turn + 1 == settings.turns { break }
            let transcript = conversation.map { "\($0.role == "user" ? "User" : "Assistant"): \($0.text)" }.joined(separator: "\n")
            let output = try await engine.askText(template: settings.userTemplate,
                                                  values: ["topic": .string(topic), "conversation": .string(transcript)],
                                                  unit: unit, salt: 2 * turn + 1)
            switch engine.binding.parse(settings.userParser, output: output) {
            case .failure(let rejection):
                draft.reject("parser", "simulated user turn \(turn + 2): \(rejection.reason)",
                             payload: ["messages": messagesJSON(conversation), "output": .string(output)],
                             template: settings.userTemplate, seedID: item.id)
                return
            case .success(let records):
                guard let message = records[0]["message"]?.stringValue else { return }
                conversation.append(ChatMessage(role: "user", text: message))
            }
        }
        let lastAnswer = conversation.last?.text ?? ""
        draft.keep(Candidate(kind: .conversation,
                             payload: ["messages": messagesJSON(conversation), "topic": .string(topic), "instruction": .string(question)],
                             screenText: lastAnswer, filterRecord: ["instruction": .string(question), "response": .string(lastAnswer)],
                             template: settings.userTemplate, seedID: item.id))
    }
}
