// Feature knowledge (survey §3.1.4): the teacher's distributions on sequences, stored sparse.
// A white-box teacher scores given sequences (teacher-generated, dataset or student-generated)
// token by token; an API teacher can only report the top-k log-probabilities of its own samples,
// so it answers the prompts again with logprobs on, and its token strings are mapped to the
// student tokenizer's ids (a token that is not one id there rejects the record).
import Foundation
import RetortJSON
import RetortModels
import RetortTeachers

public struct FeatureSettings: Sendable {
    public var stage: StageSettings
    /// Conversations whose last assistant turn is scored.
    public var input: InputSource
    public var topK: Int = 8
    /// The in-process teacher for scoring; nil uses the API teacher's top-k logprobs.
    public var whiteBox: (any WhiteBoxTeacher)?
    /// The student's tokenizer, to map an API teacher's token strings to ids.
    public var tokenizer: BPETokenizer?
    public var limit: Int? = nil

    public init(stage: StageSettings, input: InputSource) {
        self.stage = stage
        self.input = input
    }
}

public enum Feature {
    public static func run(_ settings: FeatureSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "feature", context: context)
        if settings.whiteBox == nil {
            guard context.teacher.capabilities.maxTopLogprobs > 0 else {
                throw InputError(message: "stage \(settings.stage.name): the teacher \(engine.teacherName) gives neither full distributions nor top-k log-probabilities; use a local teacher or one with logprobs")
            }
            guard settings.tokenizer != nil else {
                throw InputError(message: "stage \(settings.stage.name): an API teacher's tokens must be mapped to the student's; name the student's tokenizer model")
            }
        }
        var items = try settings.input.load(plugin: engine.binding.plugin, sink: context.sink)
        if let limit = settings.limit { items = Array(items.prefix(limit)) }
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        try await engine.run(unitIDs: items.map(\.id)) { _, unit in
            try await features(byID[unit]!, settings: settings, engine: engine)
        }
        return engine.report()
    }

    static func features(_ item: InputItem, settings: FeatureSettings, engine: StageEngine) async throws -> UnitDraft {
        var draft = UnitDraft()
        var messages = try (item.messages ?? []).map { try ChatMessage(json: $0) }
        if messages.isEmpty, let instruction = item.instruction {
            messages = [ChatMessage(role: "user", text: instruction)]
            if let response = item.string("response") ?? item.string("output") { messages.append(ChatMessage(role: "assistant", text: response)) }
        }
        guard messages.contains(where: { $0.role == "user" }) else {
            draft.reject("input", "item \(item.id) has no user turn to score", payload: .object(item.fields), template: "", seedID: item.id)
            return draft
        }
        var payload: [String: JSONValue] = ["source_key": .string(item.id)]
        let distributions: SparseDistributions
        if let whiteBox = settings.whiteBox {
            guard let last = messages.last, last.role == "assistant" else {
                draft.reject("input", "item \(item.id) does not end with an assistant turn to score", payload: .object(item.fields),
                             template: "", seedID: item.id)
                return draft
            }
            let scoring = try await whiteBox.score(messages: Array(messages.dropLast()), completion: last.text,
                                                   topK: settings.topK, layers: [])
            distributions = scoring.distributions
            payload["feature_source"] = "white-box"
        } else {
            if messages.last?.role == "assistant" { messages.removeLast() }
            let response = try await engine.ask(messages, unit: item.id, temperature: 0, topLogprobs: settings.topK)
            guard let choice = response.choices.first, let logprobs = choice.logprobs, !logprobs.isEmpty else {
                draft.reject("feature", "the teacher returned no log-probabilities", payload: .object(item.fields), template: "", seedID: item.id)
                return draft
            }
            switch mapToIDs(logprobs, topK: settings.topK, tokenizer: settings.tokenizer!) {
            case .failure(let rejection):
                draft.reject("feature.tokenizer", rejection.reason, payload: ["output": .string(choice.text)], template: "", seedID: item.id)
                return draft
            case .success(let mapped):
                distributions = mapped
            }
            messages.append(ChatMessage(role: "assistant", text: choice.text))
            payload["feature_source"] = "top-logprobs"
        }
        payload["messages"] = messagesJSON(messages)
        payload["top_k"] = .number(Double(distributions.topK))
        let answer = messages.last?.text ?? ""
        draft.keep(Candidate(kind: .conversation, payload: .object(payload), screenText: answer, template: "", seedID: item.id,
                             distributions: distributions, derived: true))
        return draft
    }

    /// Top-k entries of an API teacher as student token ids. Alternatives that are not a single
    /// student token are left out (their mass goes to the rest); the chosen token must map.
    static func mapToIDs(_ logprobs: [TokenLogprob], topK: Int, tokenizer: BPETokenizer) -> Result<SparseDistributions, ParseRejection> {
        func single(_ token: String) -> Int32? {
            let ids = tokenizer.encode(token, parseSpecial: false, addSpecial: false)
            return ids.count == 1 ? ids[0] : nil
        }
        var tokens: [Int32] = [], ids: [Int32] = [], values: [Float] = [], rest: [Float] = []
        for (position, entry) in logprobs.enumerated() {
            guard let id = single(entry.token) else {
                return .failure(ParseRejection(reason: "teacher token \(JSONValue.quoted(entry.token)) at position \(position) is not one token of the student's tokenizer"))
            }
            tokens.append(id)
            var row: [(Int32, Float)] = []
            var seen = Set<Int32>()
            for alternative in entry.top + [TopLogprob(token: entry.token, logprob: entry.logprob)] {
                guard row.count < topK, let altID = single(alternative.token), seen.insert(altID).inserted else { continue }
                row.append((altID, Float(alternative.logprob)))
            }
            row.sort { $0.1 > $1.1 }
            let mass = row.reduce(Float(0)) { $0 + exp($1.1) }
            // Pad short rows to k slots with distinct unused ids at probability 0.
            var filler: Int32 = 0
            while row.count < topK {
                if seen.insert(filler).inserted { row.append((filler, -Float.infinity)) }
                filler += 1
            }
            ids += row.map(\.0)
            values += row.map(\.1)
            rest.append(max(0, min(1, 1 - mass)))
        }
        return .success(SparseDistributions(tokens: tokens, topK: topK, ids: ids, logprobs: values, restMass: rest))
    }
}
