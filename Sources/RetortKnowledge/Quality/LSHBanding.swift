// How a MinHash signature of b·r values is cut into b bands of r rows. Two texts with Jaccard
// similarity s collide in at least one band with probability 1 − (1 − s^r)^b, an S-curve whose
// steep part sits near (1/b)^(1/r). For a chosen threshold t, (b, r) minimizes
//     w_fp · ∫₀ᵗ P(collide | s) ds  +  w_fn · ∫ₜ¹ (1 − P(collide | s)) ds
// over b·r ≤ permutations (Leskovec, Rajaraman & Ullman, Mining of Massive Datasets §3.4; the same
// criterion as the datasketch library). Collisions are only candidates — MinHashLSH then computes
// the exact Jaccard — so a false positive costs time and a false negative costs a missed
// duplicate; the default weights (0.2, 0.8) lean towards recall.
//
// With the defaults (t = 0.5, 128 permutations) this picks b = 30, r = 4: a pair is proposed with
// probability 0.86 at s = 0.5, 0.98 at 0.6, 0.9997 at 0.7, and 0.22 at s = 0.3, 0.05 at 0.2.
import Foundation

public struct LSHBanding: Sendable, Hashable {
    public let bands: Int
    public let rows: Int

    public init(bands: Int, rows: Int) {
        self.bands = bands
        self.rows = rows
    }

    /// The probability that two texts with Jaccard similarity `s` share a band.
    public func collisionProbability(jaccard s: Double) -> Double {
        1 - pow(1 - pow(s, Double(rows)), Double(bands))
    }

    /// The (bands, rows) that minimize the weighted false-positive and false-negative areas.
    public static func optimal(
        threshold: Double, permutations: Int, falsePositiveWeight: Double = 0.2, falseNegativeWeight: Double = 0.8
    ) -> LSHBanding {
        var best = LSHBanding(bands: permutations, rows: 1)
        var bestError = Double.infinity
        for bands in 1...permutations {
            for rows in 1...(permutations / bands) {
                let banding = LSHBanding(bands: bands, rows: rows)
                let falsePositive = integrate(from: 0, to: threshold) { banding.collisionProbability(jaccard: $0) }
                let falseNegative = integrate(from: threshold, to: 1) { 1 - banding.collisionProbability(jaccard: $0) }
                let error = falsePositiveWeight * falsePositive + falseNegativeWeight * falseNegative
                if error < bestError {
                    bestError = error
                    best = banding
                }
            }
        }
        return best
    }

    /// Simpson's rule on 64 intervals: the curves are smooth, and the choice only compares areas.
    private static func integrate(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
        let n = 64
        let h = (b - a) / Double(n)
        var sum = f(a) + f(b)
        for i in 1..<n { sum += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * h) }
        return sum * h / 3
    }
}

