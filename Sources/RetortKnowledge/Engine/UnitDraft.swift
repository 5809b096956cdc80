// What one unit of work produced before screening: candidate records and early rejections
// (parser failures…). Screening and keys are applied when the unit is finalized, in unit order.
import RetortJSON
import RetortModels

public struct Candidate: Sendable {
    public var kind: RecordKind
    public var payload: JSONValue
    /// The text the length, charset and refusal checks look at (the instruction, or the answer).
    /// Dedup compares the whole record (RecordScreen.dedupText); instructions also go through
    /// Self-Instruct's novelty rule.
    public var screenText: String
    /// What plugin filters receive ({"instruction", "input", "response"} or {"instruction"}).
    public var filterRecord: JSONValue
    public var template: String
    public var seedID: String
    public var distributions: SparseDistributions?
    /// Records derived from already-screened text (ratings, preference pairs) skip plugin filters
    /// and dedup; the text checks (length, refusals) still apply.
    public var derived: Bool

    public init(kind: RecordKind, payload: JSONValue, screenText: String,
                filterRecord: JSONValue? = nil, template: String, seedID: String,
                distributions: SparseDistributions? = nil, derived: Bool = false) {
        self.kind = kind
        self.payload = payload
        self.screenText = screenText
        self.filterRecord = filterRecord ?? payload
        self.template = template
        self.seedID = seedID
        self.distributions = distributions
        self.derived = derived
    }
}

public struct EarlyRejection: Sendable {
    public var check: String
    public var reason: String
    public var payload: JSONValue
    public var template: String
    public var seedID: String

    public init(check: String, reason: String, payload: JSONValue, template: String, seedID: String) {
        self.check = check
        self.reason = reason
        self.payload = payload
        self.template = template
        self.seedID = seedID
    }
}

public struct UnitDraft: Sendable {
    public var candidates: [Candidate] = []
    public var rejections: [EarlyRejection] = []

    public init() {}

    public mutating func keep(_ candidate: Candidate) { candidates.append(candidate) }

    public mutating func reject(_ check: String, _ reason: String, payload: JSONValue, template: String, seedID: String) {
        rejections.append(EarlyRejection(check: check, reason: reason, payload: payload, template: template, seedID: seedID))
    }
}
