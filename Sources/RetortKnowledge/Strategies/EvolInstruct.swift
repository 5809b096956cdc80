// Expansion by Evol-Instruct (Xu et al., 2023, WizardLM): each instruction is rewritten round
// after round by an in-depth operation (add constraints, deepen, concretize, more reasoning steps)
// or the in-breadth one (a new, rarer task of the same domain). The elimination step drops an
// evolution that failed: unparsable, a copy of its parent, leaked prompt scaffolding, or one that
// fails the quality checks; the chain of that instruction stops there.
import RetortJSON
import RetortTeachers

public struct EvolInstructSettings: Sendable {
    public var stage: StageSettings
    public var input: InputSource
    public var rounds: Int = 2
    /// Evolution templates (slot: instruction); one is chosen per round, deterministically.
    public var operations: [String] = ["evol-constraints", "evol-deepen", "evol-concretize", "evol-reasoning", "evol-breadth"]
    public var parser: String = "evolved-instruction"
    public var limit: Int? = nil
    /// An evolution this close to its parent (ROUGE-L F) did not evolve.
    public var sameAsParentRougeL: Double = 0.9

    public init(stage: StageSettings, input: InputSource) {
        self.stage = stage
        self.input = input
    }
}

public enum EvolInstruct {
    static let leakedScaffolding = ["#given prompt#", "#rewritten prompt#", "given prompt", "rewritten prompt", "#created prompt#"]

    public static func run(_ settings: EvolInstructSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "expansion", context: context)
        try engine.binding.check(templates: settings.operations, parsers: [settings.parser], filters: [])
        guard !settings.operations.isEmpty else { throw InputError(message: "evol-instruct needs at least one operation template") }
        _ = try engine.primeFromStore()
        var items = try settings.input.load(plugin: engine.binding.plugin, sink: context.sink)
        if let limit = settings.limit { items = Array(items.prefix(limit)) }
        engine.primeScreen(instructions: items.compactMap(\.instruction))
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        try await engine.run(unitIDs: items.map(\.id)) { _, unit in
            try await evolve(byID[unit]!, settings: settings, engine: engine)
        }
        return engine.report()
    }

    static func evolve(_ item: InputItem, settings: EvolInstructSettings, engine: StageEngine) async throws -> UnitDraft {
        var draft = UnitDraft()
        guard var current = item.instruction, !current.isEmpty else {
            draft.reject("input", "input \(item.id) has no instruction", payload: .object(item.fields), template: "", seedID: item.id)
            return draft
        }
        var random = SeededRandom(engine.seed(unit: item.id))
        for round in 0..<settings.rounds {
            let operation = settings.operations[random.below(settings.operations.count)]
            let output = try await engine.askText(template: operation, values: ["instruction": .string(current)],
                                                  unit: item.id, salt: round)
            let base: [String: JSONValue] = ["evolved_from": .string(current), "operation": .string(engine.binding.qualified(operation)),
                                             "round": .number(Double(round + 1))]
            let evolved: String
            switch engine.binding.parse(settings.parser, output: output) {
            case .failure(let rejection):
                draft.reject("parser", rejection.reason, payload: .object(base.merging(["output": .string(output)]) { a, _ in a }),
                             template: operation, seedID: item.id)
                return draft
            case .success(let records):
                guard let text = records[0]["instruction"]?.stringValue else {
                    draft.reject("parser", "the parser returned no instruction", payload: .object(base), template: operation, seedID: item.id)
                    return draft
                }
                evolved = text
            }
            var payload = base
            payload["instruction"] = .string(evolved)
            if let reason = elimination(evolved, parent: current, threshold: settings.sameAsParentRougeL) {
                draft.reject("evol.elimination", reason, payload: .object(payload), template: operation, seedID: item.id)
                return draft
            }
            draft.keep(Candidate(kind: .instruction, payload: .object(payload), screenText: evolved,
                                 filterRecord: ["instruction": .string(evolved)], template: operation, seedID: item.id))
            current = evolved
        }
        return draft
    }

    /// Why an evolution failed, or nil when it is a real new instruction.
    static func elimination(_ evolved: String, parent: String, threshold: Double) -> String? {
        let lower = evolved.lowercased()
        if let leak = leakedScaffolding.first(where: { lower.contains($0) }) {
            return "the rewrite leaked the prompt's scaffolding (\"\(leak)\")"
        }
        if lower == parent.lowercased() { return "the rewrite is identical to its parent" }
        let overlap = RougeL.score(target: parent, prediction: evolved).fmeasure
        if overlap >= threshold {
            return "the rewrite barely changed its parent (ROUGE-L \(String(format: "%.2f", overlap)) ≥ \(threshold))"
        }
        return nil
    }
}
