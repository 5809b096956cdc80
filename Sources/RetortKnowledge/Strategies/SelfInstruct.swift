// Expansion by Self-Instruct (Wang et al., 2023): prompts show in-context examples drawn from the
// seed tasks and from instructions generated so far; the teacher continues the list; new
// instructions pass quality checks and the ROUGE-L novelty rule, and kept ones join the pool.
// Units run in fixed batches: every prompt of batch b sees the pool as it stood after batch b − 1,
// so a resumed run asks exactly what an uninterrupted one would.
import RetortJSON
import RetortTeachers

public struct SelfInstructSettings: Sendable {
    public var stage: StageSettings
    /// Seed tasks (items with `instruction`).
    public var seeds: InputSource
    /// Stop once this many new instructions are kept.
    public var target: Int
    /// At most this many prompts, whatever is kept (guards against a teacher that repeats itself).
    public var maxPrompts: Int
    public var template: String = "self-instruct"
    public var parser: String = "instruction-list"
    /// In-context examples per prompt: this many from the seeds, `generatedExamples` from the pool.
    public var seedExamples: Int = 6
    public var generatedExamples: Int = 2
    /// New instructions asked for per prompt.
    public var perPrompt: Int = 8

    public init(stage: StageSettings, seeds: InputSource, target: Int, maxPrompts: Int? = nil) {
        self.stage = stage
        self.seeds = seeds
        self.target = target
        self.maxPrompts = maxPrompts ?? max(4, target)
    }
}

public enum SelfInstruct {
    public static func run(_ settings: SelfInstructSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "expansion", context: context)
        try engine.binding.check(templates: [settings.template], parsers: [settings.parser], filters: [])
        let seedItems = try settings.seeds.load(plugin: engine.binding.plugin, sink: context.sink)
        let seedInstructions = seedItems.compactMap(\.instruction)
        guard !seedInstructions.isEmpty else {
            throw InputError(message: "self-instruct needs seed tasks with an instruction; \(settings.seeds.description) has none")
        }
        engine.primeScreen(instructions: seedInstructions)
        // The pool of generated instructions, tagged with the unit that kept them.
        let pool = GeneratedPool()
        for record in try engine.primeFromStore() {
            if let text = record.payload["instruction"]?.stringValue { pool.add(text, unit: Self.unitIndex(record.key)) }
        }
        let batch = max(1, settings.stage.concurrency)
        engine.expectUnits(settings.maxPrompts)
        var start = 0
        while start < settings.maxPrompts, pool.count < settings.target {
            let end = min(start + batch, settings.maxPrompts)
            let snapshot = pool.instructions(beforeUnit: start)
            let ids = (start..<end).map(Self.unitID)
            try await engine.run(unitIDs: ids, draft: { index, unit in
                try await generate(unit: unit, index: index, snapshot: snapshot, seeds: seedInstructions,
                                   settings: settings, engine: engine)
            }, afterFinalize: { index, kept in
                for record in kept {
                    if let text = record.payload["instruction"]?.stringValue { pool.add(text, unit: index) }
                }
            })
            start = end
        }
        try engine.closeUnits()
        return engine.report()
    }

    static func unitID(_ index: Int) -> String { "prompt-" + String(format: "%05d", index) }

    /// The unit index in a key "stage/prompt-00012/3".
    static func unitIndex(_ key: String) -> Int {
        let parts = key.split(separator: "/")
        guard parts.count >= 2, parts[parts.count - 2].hasPrefix("prompt-") else { return 0 }
        return Int(parts[parts.count - 2].dropFirst("prompt-".count)) ?? 0
    }

    static func generate(unit: String, index: Int, snapshot: [String], seeds: [String],
                         settings: SelfInstructSettings, engine: StageEngine) async throws -> UnitDraft {
        var random = SeededRandom(engine.seed(unit: unit))
        var examples = random.sample(seeds, count: settings.seedExamples)
        examples += random.sample(snapshot, count: settings.generatedExamples)
        random.shuffle(&examples)
        let numbered = examples.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
        let output = try await engine.askText(
            template: settings.template,
            values: ["examples": .string(numbered), "count": .number(Double(settings.perPrompt))], unit: unit)
        var draft = UnitDraft()
        switch engine.binding.parse(settings.parser, output: output) {
        case .failure(let rejection):
            draft.reject("parser", rejection.reason, payload: ["output": .string(output)], template: settings.template, seedID: unit)
        case .success(let items):
            for item in items {
                guard let instruction = item["instruction"]?.stringValue else { continue }
                // The teacher often repeats the in-context examples: not new knowledge.
                if examples.contains(where: { $0.caseInsensitiveCompare(instruction) == .orderedSame }) {
                    draft.reject("expansion.copy", "repeats an in-context example", payload: item,
                                 template: settings.template, seedID: unit)
                    continue
                }
                draft.keep(Candidate(kind: .instruction, payload: ["instruction": .string(instruction)],
                                     screenText: instruction, template: settings.template, seedID: unit))
            }
        }
        return draft
    }
}

/// Generated instructions with the unit that kept them; read by batches, written in unit order.
final class GeneratedPool: @unchecked Sendable {
    private var items: [(text: String, unit: Int)] = []
    var count: Int { items.count }
    func add(_ text: String, unit: Int) { items.append((text, unit)) }
    func instructions(beforeUnit unit: Int) -> [String] { items.filter { $0.unit < unit }.map(\.text) }
}
