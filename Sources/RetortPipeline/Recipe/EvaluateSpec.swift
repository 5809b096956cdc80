// The recipe's `evaluate` block: how much of the data is held out, how many held-out prompts the
// student answers (for ROUGE-L and plugin evaluators), and which plugin evaluators run.
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

    public static let defaults = EvaluateSpec(heldOut: 0.1, maxExamples: 32, generate: 8, maxTokens: 96, evaluators: [])

    static func decode(_ node: RecipeNode) throws(RecipeError) -> EvaluateSpec {
        let f = try node.mapping(allowed: ["held_out", "max_examples", "generate", "max_tokens", "evaluators"])
        let d = defaults
        let spec = EvaluateSpec(
            heldOut: try f.double("held_out", default: d.heldOut, in: 0.01...0.9),
            maxExamples: try f.int("max_examples", default: d.maxExamples, in: 1...100_000),
            generate: try f.int("generate", default: d.generate, in: 0...10_000),
            maxTokens: try f.int("max_tokens", default: d.maxTokens, in: 1...8192),
            evaluators: try f.strings("evaluators"))
        if !spec.evaluators.isEmpty, spec.generate == 0 {
            throw try f.required("evaluators").error("plugin evaluators score generated answers: set `generate` above 0")
        }
        return spec
    }
}
