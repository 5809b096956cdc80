// Causal grouped-query attention of new tokens over their sequences' KV caches, for a decode step
// that holds rows of several sequences. Every (row, head) is computed on its own, in one fixed
// order, so a row's output does not depend on what else is in the step.
import Foundation
import RetortTensor

enum CachedAttention {
    /// The rows of one sequence in a step: rows start..<start+count of q and out are its new tokens,
    /// at positions past..<past+count of `cache`, whose layer already holds their keys and values.
    struct Span {
        let start: Int
        let count: Int
        let past: Int
        let cache: LlamaKVCache
    }

    /// out (rows, nHeads·d): new token i of a span (position past+i) attends to the span's cached
    /// tokens 0...past+i in `layer`. q is (rows, nHeads·d); query head h reads kv head h / (nHeads / nKVHeads).
    /// `rowOwners` maps each row to its span (built once per step).
    static func forward(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, spans: [Span], rowOwners: [Int32],
                        layer: Int, nHeads: Int, nKVHeads: Int, headDim d: Int) {
        let rows = rowOwners.count
        let group = nHeads / nKVHeads, qWidth = nHeads * d
        let scale = 1 / Float(d).squareRoot()
        let longest = spans.map { $0.past + $0.count }.max() ?? 0
        spans.withUnsafeBufferPointer { spans in
            rowOwners.withUnsafeBufferPointer { owners in
                Parallel.forEach(rows * nHeads, costPerItem: 4 * longest * d) { job in
                    let row = job / nHeads, h = job % nHeads
                    let span = spans[Int(owners[row])]
                    let length = span.past + (row - span.start) + 1
                    let query = q + row * qWidth + h * d
                    let output = out + row * qWidth + h * d
                    let kvOffset = (h / group) * d, stride = span.cache.width
                    let keys = UnsafePointer(span.cache.key(layer, 0) + kvOffset)
                    let values = UnsafePointer(span.cache.value(layer, 0) + kvOffset)
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: length) { buffer in
                        let scores = buffer.baseAddress!
                        var maxScore = -Float.infinity
                        for j in 0..<length {
                            let s = VectorKernels.dot(query, keys + j * stride, d) * scale
                            scores[j] = s
                            maxScore = max(maxScore, s)
                        }
                        var sum: Float = 0
                        for j in 0..<length {
                            let e = exp(scores[j] - maxScore)
                            scores[j] = e
                            sum += e
                        }
                        output.update(repeating: 0, count: d)
                        let inverse = 1 / sum
                        for j in 0..<length {
                            VectorKernels.addScaled(output, scores[j] * inverse, values + j * stride, d)
                        }
                    }
                }
            }
        }
    }
}
