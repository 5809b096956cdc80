// Causal grouped-query attention of new tokens over their sequences' KV caches, for a decode step
// that holds rows of several sequences. Every (row, head) is computed on its own, in one fixed
// order, so a row's output does not depend on what else is in the step.
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
    /// `rowOwners` maps each row to its span (built once per step). One job is a row's group of query
    /// heads on one kv head, run by the C kernel (each key and value row read once for the group).
    static func forward(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, spans: [Span], rowOwners: [Int32],
                        layer: Int, nHeads: Int, nKVHeads: Int, headDim d: Int) {
        let rows = rowOwners.count
        let group = nHeads / nKVHeads, qWidth = nHeads * d
        let scale = 1 / Float(d).squareRoot()
        let longest = spans.map { $0.past + $0.count }.max() ?? 0
        spans.withUnsafeBufferPointer { spans in
            rowOwners.withUnsafeBufferPointer { owners in
                Parallel.forEach(rows * nKVHeads, costPerItem: 4 * group * longest * d) { job in
                    let row = job / nKVHeads, kvHead = job % nKVHeads
                    let span = spans[Int(owners[row])]
                    let length = span.past + (row - span.start) + 1
                    let offset = row * qWidth + kvHead * group * d
                    let keys = UnsafePointer(span.cache.key(layer, 0) + kvHead * d)
                    let values = UnsafePointer(span.cache.value(layer, 0) + kvHead * d)
                    GroupedQueryAttentionKernel.run(out: out + offset, q: q + offset, keys: keys, values: values,
                                                    stride: span.cache.width, length: length, group: group, headDim: d, scale: scale)
                }
            }
        }
    }
}
