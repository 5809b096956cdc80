// Near-duplicate detection with MinHash and locality-sensitive hashing (Broder 1997; Indyk &
// Motwani 1998). Each text becomes a set of shingles (Shingling); its signature holds, for each of
// `permutations` hash functions h_i(x) = (a_i·x + b_i) mod (2⁶¹ − 1) with a_i, b_i drawn from a
// seeded SplitMix64, the minimum over its shingles — two signatures agree in each position with
// probability equal to the Jaccard similarity of the shingle sets. Signatures are cut into bands
// (LSHBanding); texts sharing a band are candidates, and a candidate is reported only if the exact
// Jaccard similarity of the stored shingle sets reaches the threshold, so reports have no false
// positives and misses are limited to what the banding curve gives up.
//
// Texts with no words (empty, only punctuation or emoji) have no shingles and match nothing.

/// A pool item that is a near-duplicate of the query.
public struct NearDuplicate: Sendable, Hashable {
    public var index: Int
    public var label: String
    /// Exact Jaccard similarity of the two shingle sets.
    public var jaccard: Double
}

public struct MinHashLSH: Sendable {
    public static let checkName = "dedup.near"

    public struct Configuration: Sendable, Hashable {
        /// Jaccard similarity at or above which two texts are near-duplicates.
        public var threshold: Double
        public var permutations: Int
        public var shingling: Shingling
        /// Seeds the hash family; indexes built with different seeds cannot be compared.
        public var seed: UInt64

        public init(threshold: Double = 0.5, permutations: Int = 128, shingling: Shingling = .words(3), seed: UInt64 = 1) {
            self.threshold = threshold
            self.permutations = permutations
            self.shingling = shingling
            self.seed = seed
        }
    }

    public let configuration: Configuration
    public let banding: LSHBanding

    private let multipliers: [UInt64]
    private let increments: [UInt64]
    private var buckets: [[UInt64: [Int32]]]
    private var shingles: [[UInt64]] = []
    private var labels: [String] = []
    private var seen: [UInt32] = []
    private var stamp: UInt32 = 0

    static let prime: UInt64 = (1 << 61) - 1

    public init(_ configuration: Configuration = Configuration()) throws(QualityConfigurationError) {
        guard configuration.threshold > 0, configuration.threshold <= 1 else {
            throw QualityConfigurationError(setting: "near-duplicate threshold", "\(configuration.threshold) is outside (0, 1]")
        }
        guard (1...4096).contains(configuration.permutations) else {
            throw QualityConfigurationError(
                setting: "MinHash permutations", "\(configuration.permutations) is outside 1…4096 (128 is usual)")
        }
        guard configuration.shingling.size >= 1 else {
            throw QualityConfigurationError(setting: "shingle size", "\(configuration.shingling) must be at least 1")
        }
        self.configuration = configuration
        banding = LSHBanding.optimal(threshold: configuration.threshold, permutations: configuration.permutations)
        var state = configuration.seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return StableHash.mix(state)
        }
        var multipliers: [UInt64] = []
        var increments: [UInt64] = []
        for _ in 0..<configuration.permutations {
            multipliers.append(1 + next() % (Self.prime - 1))
            increments.append(next() % Self.prime)
        }
        self.multipliers = multipliers
        self.increments = increments
        buckets = Array(repeating: [:], count: banding.bands)
    }

    public var count: Int { labels.count }

    /// The MinHash signature of `text` (all UInt64.max when it has no shingles).
    public func signature(of text: String) -> [UInt64] { signature(shingles: configuration.shingling.hashes(of: text)) }

    /// Adds a text to the index without checking it.
    public mutating func insert(_ text: String, label: String) {
        let set = configuration.shingling.hashes(of: text)
        insert(set, signature: signature(shingles: set), label: label)
    }

    /// Indexed texts whose Jaccard similarity with `text` reaches the threshold, most similar first.
    public mutating func query(_ text: String) -> [NearDuplicate] {
        let set = configuration.shingling.hashes(of: text)
        return query(set, signature: signature(shingles: set))
    }

    /// Keeps and indexes a text with no near-duplicate; rejects one that has, naming the closest.
    public mutating func admit(_ text: String, label: String) -> QualityVerdict {
        let set = configuration.shingling.hashes(of: text)
        let signature = signature(shingles: set)
        if let closest = query(set, signature: signature).first {
            let jaccard = (closest.jaccard * 1000).rounded(.down) / 1000
            return .reject(
                check: Self.checkName,
                reason: "Jaccard \(jaccard) of \(configuration.shingling) ≥ \(configuration.threshold) with \(closest.label)")
        }
        insert(set, signature: signature, label: label)
        return .keep
    }

    // MARK: - Internals

    private func signature(shingles set: [UInt64]) -> [UInt64] {
        var signature = [UInt64](repeating: .max, count: configuration.permutations)
        for shingle in set {
            let x = shingle % Self.prime
            for i in 0..<signature.count {
                let h = Self.affine(multipliers[i], x, increments[i])
                if h < signature[i] { signature[i] = h }
            }
        }
        return signature
    }

    /// (a·x + b) mod (2⁶¹ − 1) for a, x, b < 2⁶¹ − 1, using 2⁶¹ ≡ 1.
    static func affine(_ a: UInt64, _ x: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: x)
        var r = (low & prime) &+ ((low >> 61) | (high << 3))
        r = (r & prime) &+ (r >> 61)
        r &+= b
        r = (r & prime) &+ (r >> 61)
        return r >= prime ? r - prime : r
    }

    private func bandKey(_ signature: [UInt64], band: Int) -> UInt64 {
        var h: UInt64 = 0x4241_4E44 &+ UInt64(band)
        for row in 0..<banding.rows { h = StableHash.mix(h ^ signature[band * banding.rows + row]) }
        return h
    }

    private mutating func insert(_ set: [UInt64], signature: [UInt64], label: String) {
        let index = Int32(labels.count)
        labels.append(label)
        shingles.append(set)
        if set.isEmpty { return }
        for band in 0..<banding.bands { buckets[band][bandKey(signature, band: band), default: []].append(index) }
    }

    private mutating func query(_ set: [UInt64], signature: [UInt64]) -> [NearDuplicate] {
        if set.isEmpty { return [] }
        if seen.count < labels.count { seen.append(contentsOf: repeatElement(0, count: labels.count - seen.count)) }
        stamp &+= 1
        if stamp == 0 {
            for i in seen.indices { seen[i] = 0 }
            stamp = 1
        }
        var matches: [NearDuplicate] = []
        for band in 0..<banding.bands {
            guard let bucket = buckets[band][bandKey(signature, band: band)] else { continue }
            for item in bucket where seen[Int(item)] != stamp {
                seen[Int(item)] = stamp
                let jaccard = Shingling.jaccard(set, shingles[Int(item)])
                if jaccard >= configuration.threshold {
                    matches.append(NearDuplicate(index: Int(item), label: labels[Int(item)], jaccard: jaccard))
                }
            }
        }
        return matches.sorted { ($0.jaccard, -$0.index) > ($1.jaccard, -$1.index) }
    }
}
