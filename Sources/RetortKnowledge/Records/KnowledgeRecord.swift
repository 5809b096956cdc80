// What elicitation produces (Eq. 1's D): records with their provenance, and rejections with the
// reason they were dropped. Keys are deterministic (stage, unit, index), so writing a record twice
// is a no-op and a resumed run cannot duplicate work.
import RetortJSON
import RetortModels

/// Where a record came from.
public struct Provenance: Sendable, Hashable {
    public var stage: String
    /// labeling, expansion, curation, feature, feedback, self-knowledge.
    public var strategy: String
    public var plugin: String
    /// The plugin template's qualified name, or "" when the strategy used none.
    public var template: String
    /// The seed (task id, topic path, dataset row…) the record grew from.
    public var seedID: String
    /// TeacherIdentity.description of the teacher that answered ("" for none).
    public var teacher: String

    public init(stage: String, strategy: String, plugin: String, template: String, seedID: String, teacher: String) {
        self.stage = stage
        self.strategy = strategy
        self.plugin = plugin
        self.template = template
        self.seedID = seedID
        self.teacher = teacher
    }
}

/// The shape of a record's payload; exports pick the records whose kind they can write.
public enum RecordKind: String, Sendable, CaseIterable {
    /// {"messages": [{"role", "content"}…]} — a finished conversation (labels, self-chat).
    case conversation
    /// {"instruction": String, "input"?: String} — a new task without an answer yet (expansion).
    case instruction
    /// {"prompt": [messages], "chosen": String, "rejected": String} — a preference pair.
    case preference
    /// {"messages": […], "scores": {aspect: number}, "rationale"?: String} — judged output.
    case rating
}

public struct KnowledgeRecord: Sendable, Hashable {
    /// Unique within a run; the same unit of work always produces the same keys.
    public var key: String
    public var provenance: Provenance
    public var kind: RecordKind
    public var payload: JSONValue
    /// Teacher distributions on the assistant's tokens (feature strategy), stored sparse.
    public var distributions: SparseDistributions?

    public init(key: String, provenance: Provenance, kind: RecordKind, payload: JSONValue,
                distributions: SparseDistributions? = nil) {
        self.key = key
        self.provenance = provenance
        self.kind = kind
        self.payload = payload
        self.distributions = distributions
    }
}

public struct RejectedRecord: Sendable, Hashable {
    public var key: String
    public var provenance: Provenance
    /// Which check dropped it: "parser", "dedup.exact", "dedup.near", "novelty", "length", a plugin
    /// filter's qualified name, "teacher" (the call failed for good)…
    public var check: String
    /// Human-readable why, e.g. the parser's error message or "ROUGE-L 0.83 ≥ 0.70 with seed-12".
    public var reason: String
    public var payload: JSONValue

    public init(key: String, provenance: Provenance, check: String, reason: String, payload: JSONValue) {
        self.key = key
        self.provenance = provenance
        self.check = check
        self.reason = reason
        self.payload = payload
    }
}
