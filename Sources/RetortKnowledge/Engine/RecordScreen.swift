// The engine's own screening of candidates, in unit order: stateless text checks (empty, length,
// charset, refusals) on the answer or instruction, then stateful ones on the whole record — exact
// dedup, MinHash-LSH near-duplicates, and for instructions Self-Instruct's ROUGE-L novelty rule.
// A resumed run primes the state with the records already kept, so decisions span restarts.
import RetortJSON

final class RecordScreen: @unchecked Sendable {
    private let textChecks: QualityChecks
    private var exact: ExactDeduplicator?
    private var near: MinHashLSH?
    private var novelty: NoveltyFilter?

    init(settings: QualitySettings) throws {
        var checks: [any QualityCheck] = [EmptyTextCheck(),
                                          try LengthCheck(unit: .characters, minimum: settings.minCharacters, maximum: settings.maxCharacters),
                                          try CharsetCheck()]
        if settings.rejectRefusals { checks.append(RefusalCheck()) }
        textChecks = QualityChecks(checks)
        exact = settings.exactDedup ? ExactDeduplicator() : nil
        near = try settings.nearDuplicateJaccard.map { try MinHashLSH(MinHashLSH.Configuration(threshold: $0)) }
        novelty = try settings.noveltyRougeL.map { try NoveltyFilter(threshold: $0) }
    }

    /// What dedup compares: the instruction of an instruction, every turn of a conversation.
    /// Ratings and preference pairs are judgements of screened text and are not deduplicated.
    static func dedupText(kind: RecordKind, payload: JSONValue) -> String? {
        switch kind {
        case .instruction:
            return payload["instruction"]?.stringValue
        case .conversation:
            guard let messages = payload["messages"]?.arrayValue else { return nil }
            return messages.compactMap { $0["content"]?.stringValue }.joined(separator: "\n")
        case .preference, .rating:
            return nil
        }
    }

    func textRejection(_ text: String) -> (String, String)? {
        if case .reject(let check, let reason) = textChecks.check(text) { return (check, reason) }
        return nil
    }

    /// Seed instructions: novelty and dedup treat them as already present.
    func primeInstruction(_ text: String, label: String = "a seed task") {
        exact?.insert(text, label: label)
        near?.insert(text, label: label)
        novelty?.addToPool(text, label: label)
    }

    func prime(_ record: KnowledgeRecord) {
        guard let text = Self.dedupText(kind: record.kind, payload: record.payload) else { return }
        exact?.insert(text, label: record.key)
        near?.insert(text, label: record.key)
        if record.kind == .instruction { novelty?.addToPool(text, label: record.key) }
    }

    /// Keeps the record (and remembers it) or names the check and reason that reject it.
    func admit(kind: RecordKind, payload: JSONValue, label: String) -> (String, String)? {
        guard let text = Self.dedupText(kind: kind, payload: payload) else { return nil }
        if let original = exact?.duplicate(of: text) {
            return (ExactDeduplicator.checkName, "same text as \(original)")
        }
        if let match = near?.query(text).first {
            return (MinHashLSH.checkName, "near-duplicate of \(match.label) (Jaccard ≈ \(String(format: "%.2f", match.jaccard)))")
        }
        if kind == .instruction, novelty != nil {
            // Mutated in place: a copy would duplicate the whole pool.
            let verdict = novelty!.admit(text, label: label)
            if case .reject(let check, let reason) = verdict { return (check, reason) }
        }
        exact?.insert(text, label: label)
        near?.insert(text, label: label)
        return nil
    }
}
