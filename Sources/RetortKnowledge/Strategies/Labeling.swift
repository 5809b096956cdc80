// Labeling (survey §3.1.1): inputs from seeds, a dataset or an earlier stage → teacher outputs.
// Optional system-message variants (Orca-style "think step by step", "explain like I'm five")
// turn one input into several labeled conversations; chain-of-thought is one such variant. Inputs
// from an "images" seed set are labeled with their image (ImageLabeling.swift).
import RetortJSON
import RetortTeachers

public struct LabelingSettings: Sendable {
    public var stage: StageSettings
    public var input: InputSource
    /// The user-turn template (slots: instruction, input).
    public var template: String = "answer"
    /// System templates to label each input with; "" labels without a system message.
    public var systemVariants: [String] = [""]
    /// An optional parser run on the answer (its first record's `response` or `answer` becomes
    /// the assistant turn when present); without one the whole output is the answer.
    public var parser: String? = nil
    /// At most this many inputs (nil: all).
    public var limit: Int? = nil

    public init(stage: StageSettings, input: InputSource) {
        self.stage = stage
        self.input = input
    }
}

public enum Labeling {
    public static func run(_ settings: LabelingSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "labeling", context: context)
        try engine.binding.check(templates: [settings.template] + settings.systemVariants.filter { !$0.isEmpty },
                                 parsers: settings.parser.map { [$0] } ?? [], filters: [])
        _ = try engine.primeFromStore()
        var items = try settings.input.load(plugin: engine.binding.plugin, sink: context.sink)
        if let limit = settings.limit { items = Array(items.prefix(limit)) }
        let imagesFolder = imageFolder(settings.input, plugin: engine.binding.plugin)
        if let imagesFolder { try checkImages(items, folder: imagesFolder, plugin: engine.binding.plugin) }
        let systems = try settings.systemVariants.map { $0.isEmpty ? "" : try engine.binding.render($0, [:]) }
        var units: [String] = []
        var lookup: [String: (InputItem, Int)] = [:]
        for item in items {
            for variant in settings.systemVariants.indices {
                let id = settings.systemVariants.count == 1 ? item.id : "\(item.id)~\(variant)"
                units.append(id)
                lookup[id] = (item, variant)
            }
        }
        let frozen = lookup
        try await engine.run(unitIDs: units) { _, unit in
            let (item, variant) = frozen[unit]!
            if let imagesFolder {
                return try await labelImage(item, folder: imagesFolder, system: systems[variant],
                                            systemTemplate: settings.systemVariants[variant], unit: unit, settings: settings, engine: engine)
            }
            return try await label(item, system: systems[variant], systemTemplate: settings.systemVariants[variant],
                                   unit: unit, settings: settings, engine: engine)
        }
        return engine.report()
    }

    static func label(_ item: InputItem, system: String, systemTemplate: String, unit: String,
                      settings: LabelingSettings, engine: StageEngine) async throws -> UnitDraft {
        var draft = UnitDraft()
        guard let instruction = item.instruction, !instruction.isEmpty else {
            draft.reject("input", "input \(item.id) has no instruction", payload: .object(item.fields),
                         template: settings.template, seedID: item.id)
            return draft
        }
        let inputText = item.string("input") ?? ""
        let user = try engine.binding.render(settings.template, ["instruction": .string(instruction), "input": .string(inputText)])
        var messages: [ChatMessage] = []
        if !system.isEmpty { messages.append(ChatMessage(role: "system", text: system)) }
        messages.append(ChatMessage(role: "user", text: user))
        let response = try await engine.ask(messages, unit: unit)
        guard let choice = response.choices.first else { throw TeacherError.malformedResponse("no choices") }
        var answer = choice.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let parser = settings.parser {
            switch engine.binding.parse(parser, output: choice.text) {
            case .failure(let rejection):
                draft.reject("parser", rejection.reason, payload: ["output": .string(choice.text)],
                             template: settings.template, seedID: item.id)
                return draft
            case .success(let records):
                if let parsed = records[0]["response"]?.stringValue ?? records[0]["answer"]?.stringValue { answer = parsed }
            }
        }
        if choice.finishReason == "length" {
            draft.reject("length", "the answer hit the \(engine.stage.maxTokens)-token limit (raise max_tokens)",
                         payload: ["output": .string(answer)], template: settings.template, seedID: item.id)
            return draft
        }
        messages.append(ChatMessage(role: "assistant", text: answer))
        var payload: [String: JSONValue] = ["messages": messagesJSON(messages), "instruction": .string(instruction)]
        if !inputText.isEmpty { payload["input"] = .string(inputText) }
        if !systemTemplate.isEmpty { payload["system_variant"] = .string(engine.binding.qualified(systemTemplate)) }
        if let reference = item.string("output") ?? item.string("answer") { payload["reference"] = .string(reference) }
        draft.keep(Candidate(kind: .conversation, payload: .object(payload), screenText: answer,
                             filterRecord: ["instruction": .string(instruction), "input": .string(inputText), "response": .string(answer)],
                             template: settings.template, seedID: item.id))
        return draft
    }
}
