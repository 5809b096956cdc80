// Settings every elicitation stage shares: its name (the run store's stage key), the plugin that
// supplies templates, parsers and filters, how the teacher is asked, and the quality checks.
import RetortTeachers

public struct StageSettings: Sendable {
    public var name: String
    /// The plugin id whose templates, parsers and filters drive the stage.
    public var plugin: String
    public var maxTokens: Int
    public var sampling: TeacherSampling
    /// Units of work in flight at once (each may call the teacher several times).
    public var concurrency: Int
    /// Plugin filters applied to every kept record, by name (`instruction-quality` or qualified).
    public var filters: [String]
    public var quality: QualitySettings

    public init(name: String, plugin: String, maxTokens: Int = 256, sampling: TeacherSampling = TeacherSampling(temperature: 0.7, seed: 1),
                concurrency: Int = 4, filters: [String] = [], quality: QualitySettings = QualitySettings()) {
        self.name = name
        self.plugin = plugin
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.concurrency = concurrency
        self.filters = filters
        self.quality = quality
    }
}

/// The engine's own checks on generated text; every rejection keeps its reason.
public struct QualitySettings: Sendable, Hashable {
    public var minCharacters: Int = 2
    public var maxCharacters: Int = 20_000
    /// Reject responses that refuse ("As an AI language model, I cannot …").
    public var rejectRefusals: Bool = true
    /// Reject exact duplicates (after normalization) of records already kept in the stage.
    public var exactDedup: Bool = true
    /// MinHash-LSH Jaccard threshold for near-duplicates; nil turns it off.
    public var nearDuplicateJaccard: Double? = 0.8
    /// Self-Instruct's ROUGE-L novelty threshold for new instructions; nil turns it off.
    public var noveltyRougeL: Double? = 0.7

    public init() {}
}
