// One entry of the recipe's `knowledge` list, decoded into the strategy's settings. What needs
// a loaded model (a self-knowledge student, the tokenizer an API teacher's tokens map to) is kept
// by name and resolved when the stage runs.
import RetortKnowledge
import RetortTeachers

public struct KnowledgeStageSpec: Sendable {
    public struct SelfKnowledgePlan: Sendable {
        public var stage: StageSettings
        public var input: InputSource
        public var studentModel: String
        public var samples: Int
        public var selection: SelfKnowledgeSettings.Selection
        public var thresholds: [Double]
        public var rounds: Int
        public var template: String?
        public var answerParser: String?
        public var judgeTemplate: String?
        public var judgeParser: String?
        public var filter: String?
        public var limit: Int?
    }

    public struct RefinementPlan: Sendable {
        public var stage: StageSettings
        public var input: InputSource
        public var studentModel: String
        public var attemptTemplate: String?
        public var refineTemplate: String?
        public var parser: String?
        public var filter: String?
        public var rounds: Int
        public var limit: Int?
    }

    public enum Plan: Sendable {
        case labeling(LabelingSettings)
        case selfInstruct(SelfInstructSettings)
        case evolInstruct(EvolInstructSettings)
        case curation(CurationSettings)
        /// The settings and the model whose tokenizer maps an API teacher's tokens.
        case feature(FeatureSettings, tokenizerModel: String?)
        case feedback(FeedbackSettings)
        case selfKnowledge(SelfKnowledgePlan)
        case refinement(RefinementPlan)
    }

    public var name: String
    public var strategy: String
    public var plan: Plan
    /// Stages whose records this one reads (they must come earlier in the recipe).
    public var readsStages: [String]
    public var line: Int?

    /// The settings every stage shares.
    public var settings: StageSettings {
        switch plan {
        case .labeling(let s): s.stage
        case .selfInstruct(let s): s.stage
        case .evolInstruct(let s): s.stage
        case .curation(let s): s.stage
        case .feature(let s, _): s.stage
        case .feedback(let s): s.stage
        case .selfKnowledge(let s): s.stage
        case .refinement(let s): s.stage
        }
    }

    static let strategies = ["labeling", "expansion", "curation", "feature", "feedback", "self-knowledge", "refinement"]
    static let common: Set<String> = [
        "name", "strategy", "plugin", "max_tokens", "temperature", "top_p", "seed", "concurrency", "filters", "quality",
    ]
    static let specific: [String: Set<String>] = [
        "labeling": ["input", "template", "system_variants", "parser", "limit"],
        "expansion": ["method", "seeds", "input", "target", "max_prompts", "template", "parser", "seed_examples",
                      "generated_examples", "per_prompt", "rounds", "operations", "limit"],
        "curation": ["topics", "questions_per_topic", "turns", "question_template", "question_parser", "user_template",
                     "user_parser", "limit"],
        "feature": ["input", "top_k", "tokenizer", "limit"],
        "feedback": ["input", "mode", "opponents", "alternative_temperature", "minimum_score", "limit"],
        "self-knowledge": ["input", "student", "samples", "selection", "thresholds", "rounds", "template", "answer_parser",
                           "judge_template", "judge_parser", "filter", "limit"],
        "refinement": ["input", "student", "attempt_template", "refine_template", "parser", "filter", "rounds", "limit"],
    ]

    static func decode(_ node: RecipeNode, defaultPlugin: String?, seed: UInt64, teacherConcurrency: Int) throws(RecipeError) -> KnowledgeStageSpec {
        // Read the strategy first so unknown fields can be named against the right list.
        let strategyNode = try node.mapping(allowed: Set(Self.common).union(Self.specific.values.flatMap { $0 })).required("strategy")
        let strategy = try strategyNode.string()
        guard let specific = Self.specific[strategy] else {
            throw strategyNode.error("unknown strategy \"\(strategy)\"; expected one of: \(Self.strategies.joined(separator: ", "))")
        }
        let f = try node.mapping(allowed: Self.common.union(specific))
        let nameNode = try f.required("name")
        let name = try nameNode.string()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw nameNode.error("a stage name uses letters, digits, - and _ only")
        }
        guard let plugin = try f.optionalString("plugin") ?? defaultPlugin else {
            throw f.owner.error("missing `plugin` (and the recipe's `plugins` list is empty)")
        }
        var stage = StageSettings(name: name, plugin: plugin)
        stage.maxTokens = try f.int("max_tokens", default: 256, in: 1...32_768)
        stage.sampling = TeacherSampling(temperature: try f.double("temperature", default: 0.7, in: 0...2),
                                         topP: try f.double("top_p", default: 1, in: 0.000_001...1),
                                         seed: UInt64(try f.int("seed", default: Int(seed), in: 0...Int.max)))
        stage.concurrency = try f.int("concurrency", default: teacherConcurrency, in: 1...1024)
        stage.filters = try f.strings("filters")
        if let quality = f["quality"] { stage.quality = try decodeQuality(quality) }

        var reads: [String] = []
        func input(_ key: String, required: Bool = true, default fallback: InputSource? = nil) throws(RecipeError) -> InputSource? {
            guard let node = f[key] else {
                if let fallback { return fallback }
                if required { throw f.owner.error("missing `\(key)`: where the stage's inputs come from ({seeds: NAME}, {stage: NAME} or {file: PATH})") }
                return nil
            }
            let source = try decodeInput(node)
            if case .stage(let s) = source { reads.append(s) }
            return source
        }
        let limit = try f.optionalInt("limit")
        let plan: Plan
        switch strategy {
        case "labeling":
            var s = LabelingSettings(stage: stage, input: try input("input")!)
            if let t = try f.optionalString("template") { s.template = t }
            if f["system_variants"] != nil { s.systemVariants = try f.strings("system_variants").map { $0 == "none" ? "" : $0 } }
            s.parser = try f.optionalString("parser")
            s.limit = limit
            plan = .labeling(s)
        case "expansion":
            let method = try f.choice("method", ["self-instruct", "evol-instruct"])
            if method == "self-instruct" {
                let targetNode = try f.required("target")
                let target = try targetNode.int()
                guard target >= 1 else { throw targetNode.error("must be at least 1") }
                var s = SelfInstructSettings(stage: stage, seeds: try input("seeds")!, target: target,
                                             maxPrompts: try f.optionalInt("max_prompts"))
                if let t = try f.optionalString("template") { s.template = t }
                if let p = try f.optionalString("parser") { s.parser = p }
                s.seedExamples = try f.int("seed_examples", default: s.seedExamples, in: 0...64)
                s.generatedExamples = try f.int("generated_examples", default: s.generatedExamples, in: 0...64)
                s.perPrompt = try f.int("per_prompt", default: s.perPrompt, in: 1...100)
                plan = .selfInstruct(s)
            } else {
                var s = EvolInstructSettings(stage: stage, input: try input("input")!)
                s.rounds = try f.int("rounds", default: s.rounds, in: 1...10)
                if f["operations"] != nil { s.operations = try f.strings("operations") }
                if let p = try f.optionalString("parser") { s.parser = p }
                s.limit = limit
                plan = .evolInstruct(s)
            }
        case "curation":
            var s = CurationSettings(stage: stage, topics: try input("topics")!)
            s.questionsPerTopic = try f.int("questions_per_topic", default: s.questionsPerTopic, in: 1...100)
            s.turns = try f.int("turns", default: s.turns, in: 0...20)
            if let v = try f.optionalString("question_template") { s.questionTemplate = v }
            if let v = try f.optionalString("question_parser") { s.questionParser = v }
            if let v = try f.optionalString("user_template") { s.userTemplate = v }
            if let v = try f.optionalString("user_parser") { s.userParser = v }
            s.limit = limit
            plan = .curation(s)
        case "feature":
            var s = FeatureSettings(stage: stage, input: try input("input")!)
            s.topK = try f.int("top_k", default: s.topK, in: 1...64)
            s.limit = limit
            plan = .feature(s, tokenizerModel: try f.optionalString("tokenizer"))
        case "feedback":
            let mode = FeedbackSettings.Mode(rawValue: try f.choice("mode", FeedbackSettings.Mode.allCases.map(\.rawValue)))!
            var s = FeedbackSettings(stage: stage, input: try input("input")!, mode: mode)
            s.opponents = try input("opponents", required: false)
            s.alternativeTemperature = try f.double("alternative_temperature", default: 1, in: 0...2)
            s.minimumScore = try f.optionalDouble("minimum_score")
            s.limit = limit
            plan = .feedback(s)
        case "refinement":
            plan = .refinement(RefinementPlan(
                stage: stage, input: try input("input")!, studentModel: try f.string("student"),
                attemptTemplate: try f.optionalString("attempt_template"), refineTemplate: try f.optionalString("refine_template"),
                parser: try f.optionalString("parser"), filter: try f.optionalString("filter"),
                rounds: try f.int("rounds", default: 1, in: 1...10), limit: limit))
        default:  // self-knowledge
            let thresholds: [Double]
            if let node = f["thresholds"] {
                var values: [Double] = []
                for item in try node.list() { values.append(try item.double()) }
                thresholds = values
            } else {
                thresholds = [0.5]
            }
            plan = .selfKnowledge(SelfKnowledgePlan(
                stage: stage, input: try input("input")!, studentModel: try f.string("student"),
                samples: try f.int("samples", default: 4, in: 1...64),
                selection: SelfKnowledgeSettings.Selection(rawValue: try f.choice("selection", SelfKnowledgeSettings.Selection.allCases.map(\.rawValue), default: "majority"))!,
                thresholds: thresholds, rounds: try f.int("rounds", default: 1, in: 1...20),
                template: try f.optionalString("template"), answerParser: try f.optionalString("answer_parser"),
                judgeTemplate: try f.optionalString("judge_template"), judgeParser: try f.optionalString("judge_parser"),
                filter: try f.optionalString("filter"), limit: limit))
        }
        return KnowledgeStageSpec(name: name, strategy: strategy, plan: plan, readsStages: reads, line: node.line)
    }

    static func decodeInput(_ node: RecipeNode) throws(RecipeError) -> InputSource {
        let f = try node.mapping(allowed: ["seeds", "stage", "file"])
        guard f.order.count == 1, let key = f.order.first else {
            throw node.error("give exactly one of seeds, stage or file")
        }
        let value = try f.string(key)
        switch key {
        case "seeds": return .seeds(value)
        case "stage": return .stage(value)
        default: return .file(value)
        }
    }

    static func decodeQuality(_ node: RecipeNode) throws(RecipeError) -> QualitySettings {
        let f = try node.mapping(allowed: ["min_chars", "max_chars", "refusals", "exact_dedup", "near_duplicate_jaccard", "novelty_rouge_l"])
        var q = QualitySettings()
        q.minCharacters = try f.int("min_chars", default: q.minCharacters, in: 0...1_000_000)
        q.maxCharacters = try f.int("max_chars", default: q.maxCharacters, in: 1...10_000_000)
        q.rejectRefusals = try f.optionalBool("refusals") ?? q.rejectRefusals
        q.exactDedup = try f.optionalBool("exact_dedup") ?? q.exactDedup
        func threshold(_ key: String, _ current: Double?) throws(RecipeError) -> Double? {
            guard let node = f[key] else { return current }
            if (try? node.string()) == "off" { return nil }
            let v = try node.double()
            guard v > 0, v <= 1 else { throw node.error("must be in (0, 1] or off, got \(v)") }
            return v
        }
        q.nearDuplicateJaccard = try threshold("near_duplicate_jaccard", q.nearDuplicateJaccard)
        q.noveltyRougeL = try threshold("novelty_rouge_l", q.noveltyRougeL)
        return q
    }
}
