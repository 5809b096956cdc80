// The bridge from token logits to sequence objectives: each packed sequence's summed log-probability
// of its trained tokens, log π(y) = Σ_t m_t log softmax(z_t)[y_t], and the chain rule back,
// dL/dz_t = dL/dlog π(y) · m_t · (onehot(y_t) − softmax(z_t)), written over the logits in place.
import Foundation
import RetortTensor

struct SequenceLogProbabilities {
    /// For every position of the batch, the index of the packed sequence it belongs to (-1 on padding).
    let owner: [Int32]
    let count: Int
    /// Per sequence: Σ_t m_t log p(y_t), and the number of trained tokens.
    private(set) var logps: [Double]
    private(set) var lengths: [Int32]
    /// logsumexp of every trained row, kept for the backward pass.
    private var logNorms: [Double]

    /// Reads the logits (B·T, V) of `batch`. Throws on a non-finite logit of a trained row.
    init(logits: Tensor, batch: PackedBatch) throws {
        let V = batch.vocab, N = batch.B * batch.T
        guard logits.count == N * V else {
            throw ObjectiveError.shapeMismatch(field: "student_logits", expected: N * V, actual: logits.count)
        }
        owner = Self.owners(batch)
        count = Int(owner.max() ?? -1) + 1
        let data = UnsafePointer(logits.data)
        let mask = batch.lossMask, targets = batch.targets
        // Per row: its log-probability of the target, and its logsumexp (0 for rows not trained).
        var rowLogNorm = [Double](repeating: 0, count: N)
        let rowLogp = try rowLogNorm.withUnsafeMutableBufferPointer { norms in
            let rowNorms = norms.baseAddress!
            return try RowParallel.map(0..<N, elementsPerRow: V, makeScratch: { () }) { row, _ in
                guard mask[row] > 0, targets[row] >= 0 else { return 0 }
                let z = data + row * V
                var maximum = -Double.infinity
                for j in 0..<V {
                    let value = Double(z[j])
                    if !value.isFinite { throw ObjectiveError.nonFiniteValue(field: "student_logits", index: row * V + j, value: value) }
                    maximum = max(maximum, value)
                }
                var sum = 0.0
                for j in 0..<V { sum += exp(Double(z[j]) - maximum) }
                let logNorm = maximum + log(sum)
                rowNorms[row] = logNorm
                return Double(mask[row]) * (Double(z[Int(targets[row])]) - logNorm)
            }
        }
        logNorms = rowLogNorm
        logps = [Double](repeating: 0, count: count)
        lengths = [Int32](repeating: 0, count: count)
        for row in 0..<N where owner[row] >= 0 && mask[row] > 0 && targets[row] >= 0 {
            logps[Int(owner[row])] += rowLogp[row]
            lengths[Int(owner[row])] += 1
        }
    }

    /// Overwrites `logits` with scale · dL/dlogits given dL/dlog π(y) per sequence (zero on rows not trained).
    func writeGradient(into logits: Tensor, batch: PackedBatch, sequenceGradient: [Double], scale: Double) {
        let V = batch.vocab, N = batch.B * batch.T
        let data = logits.data
        let mask = batch.lossMask, targets = batch.targets
        Parallel.forEach(N, costPerItem: V) { row in
            let z = data + row * V
            let sequence = Int(owner[row])
            guard sequence >= 0, mask[row] > 0, targets[row] >= 0 else {
                z.update(repeating: 0, count: V)
                return
            }
            let coefficient = scale * sequenceGradient[sequence] * Double(mask[row])
            let logNorm = logNorms[row]
            for j in 0..<V { z[j] = Float(-coefficient * exp(Double(z[j]) - logNorm)) }
            z[Int(targets[row])] += Float(coefficient)
        }
    }

    /// Sequence k is the k-th (row, segment) met in row-major order: the order PackedBatch placed them.
    static func owners(_ batch: PackedBatch) -> [Int32] {
        var owner = [Int32](repeating: -1, count: batch.B * batch.T)
        var next: Int32 = -1
        for row in 0..<batch.B {
            var segment: Int32 = -1
            for t in 0..<batch.T {
                let n = row * batch.T + t
                let s = batch.segments[n]
                guard s >= 0 else { continue }
                if s != segment { next += 1; segment = s }
                owner[n] = next
            }
        }
        return owner
    }

    /// The position (row · T + t) of every packed sequence's last token, in the order of `owners`.
    static func lastPositions(_ batch: PackedBatch) -> [Int] {
        let owner = owners(batch)
        var last = [Int](repeating: 0, count: Int(owner.max() ?? -1) + 1)
        for (n, sequence) in owner.enumerated() where sequence >= 0 { last[Int(sequence)] = n }
        return last
    }
}
