// Exact dedup: two texts are duplicates when their DedupNormalizer keys are equal (same words in
// the same order, ignoring case, punctuation, spacing and Unicode compatibility forms). Only the
// 128-bit digest of each key is kept, so memory stays at a few dozen bytes per text.

public struct ExactDeduplicator: Sendable {
    public static let checkName = "dedup.exact"

    private var firstLabel: [TextDigest: String] = [:]

    public init() {}

    public var count: Int { firstLabel.count }

    /// The label of the earlier text with the same normalized key, if any.
    public func duplicate(of text: String) -> String? { firstLabel[TextDigest(DedupNormalizer.key(text))] }

    /// Records a text without checking it (seeds); an existing label is kept.
    public mutating func insert(_ text: String, label: String) {
        let digest = TextDigest(DedupNormalizer.key(text))
        if firstLabel[digest] == nil { firstLabel[digest] = label }
    }

    /// Keeps and records a text seen for the first time; rejects a repeat, naming the first one.
    public mutating func admit(_ text: String, label: String) -> QualityVerdict {
        let digest = TextDigest(DedupNormalizer.key(text))
        if let first = firstLabel[digest] {
            return .reject(check: Self.checkName, reason: "same text as \(first) after normalization (case, punctuation, spacing)")
        }
        firstLabel[digest] = label
        return .keep
    }
}
