// The recipe's `evaluate` block: how much of the data is held out, how many held-out prompts the
// student answers (for ROUGE-L and plugin evaluators), which plugin evaluators run, and whether the
// teacher judges the answers pairwise for win rates.
public struct EvaluateSpec: Sendable, Hashable {
    /// Share of conversation records held out of training (chosen by record key, so stable).
    public var heldOut: Double
    /// At most this many held-out records are scored (perplexity, KL to the teacher).
    public var maxExamples: Int
    /// Held-out prompts the student answers greedily (0: no generation metrics).
    public var generate: Int
    public var maxTokens: Int
    /// "plugin.evaluator" names, e.g. "instruct.rouge-l", run on the generated answers.
    public var evaluators: [String]
    /// Teacher-judged win rates; nil: none.
    public var judge: JudgeSpec?

    public static let defaults = EvaluateSpec(heldOut: 0.1, maxExamples: 32, generate: 8, maxTokens: 96, evaluators: [], judge: nil)

    static func decode(_ node: RecipeNode, plugins: [String]) throws(RecipeError) -> EvaluateSpec {
        let f = try node.mapping(allowed: ["held_out", "max_examples", "generate", "max_tokens", "evaluators", "judge"])
        let d = defaults
        let spec = EvaluateSpec(
            heldOut: try f.double("held_out", default: d.heldOut, in: 0.01...0.9),
            maxExamples: try f.int("max_examples", default: d.maxExamples, in: 1...100_000),
            generate: try f.int("generate", default: d.generate, in: 0...10_000),
            maxTokens: try f.int("max_tokens", default: d.maxTokens, in: 1...8192),
            evaluators: try f.strings("evaluators"),
            judge: try f["judge"].map { node throws(RecipeError) in try JudgeSpec.decode(node, plugins: plugins) })
        if !spec.evaluators.isEmpty, spec.generate == 0 {
            throw try f.required("evaluators").error("plugin evaluators score generated answers: set `generate` above 0")
        }
        if spec.judge != nil, spec.generate == 0 {
            throw try f.required("judge").error("the teacher judges generated answers: set `generate` above 0")
        }
        return spec
    }
}

/// `evaluate.judge`: the teacher compares each checkpoint's held-out answers with the un-distilled
/// student's and with its own, using a plugin's pairwise template and verdict parser; with `score`,
/// it also grades each answer alone on the plugin's rubric (1–10).
public struct JudgeSpec: Sendable, Hashable {
    public enum Opponent: String, Sendable, Hashable, CaseIterable { case baseline, teacher }

    /// How a verdict is read: from the text the teacher writes (any teacher), or from a white-box
    /// teacher's probabilities of "A" and "B" after "Verdict:"; `auto` takes the second when the
    /// teacher is local.
    public enum Method: String, Sendable, Hashable, CaseIterable { case auto, text, logprobs }

    /// The rubric grading: a template with `instruction` and `response` slots, and a parser that
    /// yields a `score` from 1 to 10.
    public struct Score: Sendable, Hashable {
        public var template: String
        public var parser: String

        public init(template: String = "rubric", parser: String = "rubric-score") {
            self.template = template
            self.parser = parser
        }
    }

    public var plugin: String
    public var template: String
    public var parser: String
    public var against: [Opponent]
    public var maxTokens: Int
    public var score: Score?
    public var method: Method

    public init(plugin: String, template: String, parser: String, against: [Opponent], maxTokens: Int, score: Score? = nil,
                method: Method = .auto) {
        self.plugin = plugin
        self.template = template
        self.parser = parser
        self.against = against
        self.maxTokens = maxTokens
        self.score = score
        self.method = method
    }

    /// Whether verdicts come from the teacher's probabilities (a local teacher, unless `method: text`).
    public func readsProbabilities(teacher backend: TeacherSpec.Backend) -> Bool {
        method == .logprobs || method == .auto && backend == .local
    }

    /// `score: true` (the plugin's `rubric` template and `rubric-score` parser), `false`, or
    /// `{template: …, parser: …}`.
    static func decodeScore(_ node: RecipeNode?) throws(RecipeError) -> Score? {
        guard let node else { return nil }
        if let on = try? node.bool() { return on ? Score() : nil }
        let m = try node.mapping(allowed: ["template", "parser"])
        return Score(template: try m.optionalString("template") ?? "rubric", parser: try m.optionalString("parser") ?? "rubric-score")
    }

    static func decode(_ node: RecipeNode, plugins: [String]) throws(RecipeError) -> JudgeSpec {
        let f = try node.mapping(allowed: ["plugin", "template", "parser", "against", "max_tokens", "score", "method"])
        guard let plugin = try f.optionalString("plugin") ?? plugins.first else {
            throw node.error("name the `plugin` whose pairwise template the teacher judges with (e.g. instruct)")
        }
        if !plugins.isEmpty, !plugins.contains(plugin) {
            throw (f["plugin"] ?? node).error("plugin \"\(plugin)\" is not in the recipe's `plugins` list")
        }
        var against: [Opponent] = []
        for name in try f.strings("against") {
            guard let opponent = Opponent(rawValue: name) else {
                throw f["against"]!.error("unknown opponent \"\(name)\"; expected baseline and/or teacher")
            }
            if !against.contains(opponent) { against.append(opponent) }
        }
        return JudgeSpec(plugin: plugin, template: try f.optionalString("template") ?? "pairwise",
                         parser: try f.optionalString("parser") ?? "pairwise-verdict",
                         against: against.isEmpty ? Opponent.allCases : against,
                         maxTokens: try f.int("max_tokens", default: 256, in: 8...8192), score: try decodeScore(f["score"]),
                         method: Method(rawValue: try f.choice("method", Method.allCases.map(\.rawValue), default: "auto"))!)
    }
}
