// One new token's query heads that share a key/value head, attending over a cache: the C kernel of
// CRetortKernels, which reads each key and value row once for the group and sums in an order fixed
// by the head width and the length (so a row's output does not depend on the rest of its batch).
import CRetortKernels

public enum GroupedQueryAttentionKernel {
    /// out (group, d) = softmax(scale · q k^T) v per head, with q (group, d) contiguous and row j of the
    /// keys and values at `keys + j·stride` and `values + j·stride`, for j in 0..<length.
    public static func run(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, keys: UnsafePointer<Float>,
                           values: UnsafePointer<Float>, stride: Int, length: Int, group: Int, headDim d: Int, scale: Float) {
        precondition(length > 0 && group > 0 && d > 0, "attention needs positive sizes")
        withUnsafeTemporaryAllocation(of: Float.self, capacity: group * (length + 1)) { scores in
            _ = retort_cached_attention(q, keys, values, Int64(stride), Int64(length), Int64(group), Int64(d), scale, out,
                                        scores.baseAddress!)
        }
    }
}
