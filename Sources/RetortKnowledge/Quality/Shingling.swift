// Shingles for MinHash: overlapping runs of k normalized words (or characters, for scripts written
// without spaces), each hashed to 64 bits with StableHash. A text shorter than k is one shingle.

public enum Shingling: Sendable, Hashable, CustomStringConvertible {
    /// k consecutive DedupNormalizer words.
    case words(Int)
    /// k consecutive Unicode scalars of the normalized key (words joined by spaces), for
    /// Chinese, Japanese, Thai and other text without spaces between words.
    case characters(Int)

    public var description: String {
        switch self {
        case .words(let k): "\(k)-word shingles"
        case .characters(let k): "\(k)-character shingles"
        }
    }

    var size: Int {
        switch self {
        case .words(let k), .characters(let k): k
        }
    }

    /// The sorted, distinct shingle hashes of `text`; empty when the text has no words.
    func hashes(of text: String) -> [UInt64] {
        let units: [String]
        let separator: String
        switch self {
        case .words:
            units = DedupNormalizer.words(text)
            separator = " "
        case .characters:
            units = DedupNormalizer.key(text).unicodeScalars.map { String($0) }
            separator = ""
        }
        if units.isEmpty { return [] }
        let k = min(size, units.count)
        var hashes: [UInt64] = []
        hashes.reserveCapacity(units.count - k + 1)
        for start in 0...(units.count - k) {
            hashes.append(StableHash.hash64(units[start..<start + k].joined(separator: separator), seed: 0x5348_494E_474C_45))
        }
        hashes.sort()
        var distinct: [UInt64] = []
        distinct.reserveCapacity(hashes.count)
        for h in hashes where distinct.last != h { distinct.append(h) }
        return distinct
    }

    /// |a ∩ b| / |a ∪ b| of two sorted, distinct hash sets (0 when both are empty).
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        if a.isEmpty && b.isEmpty { return 0 }
        var i = 0, j = 0, common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                common += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return Double(common) / Double(a.count + b.count - common)
    }
}
