// Causal grouped-query attention with padding and packed-sequence masks. Forward saves only the
// log-sum-exp of each query's scores; backward recomputes the softmax from it (as FlashAttention
// does), so memory stays O(B * nHeads * T) instead of O(B * nHeads * T^2).
import CRetortKernels
import Foundation

public enum Attention {
    /// Which keys query t of batch row b may see: keys s <= t of the same segment.
    /// segments is nil (each batch row is one sequence) or has B*T ids: a token attends only to
    /// earlier tokens with the same id, so packed sequences stay apart; a negative id marks padding,
    /// which attends to nothing (its output is zero) and is seen by no other token.
    @inline(__always)
    static func isVisible(_ segments: UnsafeBufferPointer<Int32>?, row: Int, query: Int, key: Int) -> Bool {
        guard let segments else { return true }
        return segments[row + key] == segments[row + query]
    }

    /// out = softmax(q k^T * scale + mask) v for each query head, where query head h reads key/value
    /// head h / (nHeads / nKVHeads).
    /// out is (B, T, nHeads, headDim); logSumExp is (B, nHeads, T), saved for backward;
    /// q is (B, T, nHeads, headDim); k and v are (B, T, nKVHeads, headDim); segments as in `isVisible`.
    /// scale defaults to 1/sqrt(headDim). Parallel over query rows: every one is independent.
    /// rowKernels false sends every mask through the general loops (tests compare the two ways).
    public static func forward(
        out: Tensor, logSumExp: Tensor, q: Tensor, k: Tensor, v: Tensor, segments: [Int32]?,
        B: Int, T: Int, nHeads: Int, nKVHeads: Int, headDim: Int, scale: Float? = nil, rowKernels: Bool = true
    ) throws {
        let op = "Attention.forward"
        try validate(op: op, segments: segments, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads)
        try expectShape(out, [B, T, nHeads, headDim], op: op, argument: "out")
        try expectShape(logSumExp, [B, nHeads, T], op: op, argument: "logSumExp")
        try expectShape(q, [B, T, nHeads, headDim], op: op, argument: "q")
        try expectShape(k, [B, T, nKVHeads, headDim], op: op, argument: "k")
        try expectShape(v, [B, T, nKVHeads, headDim], op: op, argument: "v")
        let scale = scale ?? 1 / Float(headDim).squareRoot()
        let group = nHeads / nKVHeads
        let outp = out.data, lsep = logSumExp.data, qp = q.data, kp = k.data, vp = v.data
        if rowKernels, let starts = firstVisibleKeys(segments, B: B, T: T) {
            // every query sees one contiguous run of keys: the C row kernel, a key/value group at a time
            Parallel.forEachRange(B * nKVHeads * T, costPerItem: group * T * headDim) { items in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: T) { scores in
                    for item in items {
                        let t = item % T, kvh = (item / T) % nKVHeads, b = item / (T * nKVHeads)
                        let row = b * T, head = kvh * group
                        let y = outp + ((row + t) * nHeads + head) * headDim
                        let lse = lsep + (b * nHeads + head) * T + t
                        let start = starts[row + t]
                        guard start >= 0 else {  // padding: no output
                            y.update(repeating: 0, count: group * headDim)
                            for g in 0..<group { lse[g * T] = -.infinity }
                            continue
                        }
                        retort_attention_forward_row(
                            qp + ((row + t) * nHeads + head) * headDim, kp + ((row + start) * nKVHeads + kvh) * headDim,
                            vp + ((row + start) * nKVHeads + kvh) * headDim, Int64(nKVHeads * headDim), Int64(t - start + 1),
                            Int64(group), Int64(headDim), scale, y, lse, Int64(T), scores.baseAddress!)
                    }
                }
            }
            return
        }
        withOptionalBuffer(segments) { seg in
            Parallel.forEachRange(B * nHeads * T, costPerItem: T * headDim) { items in
                var scores = [Float](repeating: 0, count: T)
                scores.withUnsafeMutableBufferPointer { scoresBuffer in
                    let att = scoresBuffer.baseAddress!
                    for item in items {
                        let t = item % T, h = (item / T) % nHeads, b = item / (T * nHeads)
                        let kvh = h / group
                        let row = b * T
                        let query = qp + ((row + t) * nHeads + h) * headDim
                        let y = outp + ((row + t) * nHeads + h) * headDim
                        y.update(repeating: 0, count: headDim)
                        if let seg, seg[row + t] < 0 {
                            lsep[(b * nHeads + h) * T + t] = -.infinity
                            continue
                        }
                        // pass 1: scores of the visible keys and their maximum (masked keys get -inf)
                        var maxScore = -Float.infinity
                        for s in 0...t {
                            if isVisible(seg, row: row, query: t, key: s) {
                                let key = kp + ((row + s) * nKVHeads + kvh) * headDim
                                att[s] = dot(query, key, headDim) * scale
                                maxScore = max(maxScore, att[s])
                            } else {
                                att[s] = -.infinity
                            }
                        }
                        // pass 2: exponentiate and sum (the query always sees itself, so the sum is >= 1)
                        let sum = storeScaledExp(att, att, t + 1, shift: maxScore, scale: 1)
                        // pass 3: out = Σ_s softmax_s * v_s
                        let inverseSum = 1 / sum
                        for s in 0...t where att[s] != 0 {
                            let value = vp + ((row + s) * nKVHeads + kvh) * headDim
                            addScaled(y, att[s] * inverseSum, value, headDim)
                        }
                        lsep[(b * nHeads + h) * T + t] = maxScore + logf(sum)
                    }
                }
            }
        }
    }

    /// Backward of `forward`; dq, dk, dv accumulate (+=). Shapes as in forward; out and logSumExp are
    /// forward's results. Parallel over (b, kvHead): all query heads of one group write the same dk
    /// and dv rows, so one task owns a whole group and no two tasks write the same element.
    public static func backward(
        dq: Tensor, dk: Tensor, dv: Tensor, dout: Tensor,
        q: Tensor, k: Tensor, v: Tensor, out: Tensor, logSumExp: Tensor, segments: [Int32]?,
        B: Int, T: Int, nHeads: Int, nKVHeads: Int, headDim: Int, scale: Float? = nil, rowKernels: Bool = true
    ) throws {
        let op = "Attention.backward"
        try validate(op: op, segments: segments, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads)
        for (name, tensor) in [("dq", dq), ("dout", dout), ("q", q), ("out", out)] {
            try expectShape(tensor, [B, T, nHeads, headDim], op: op, argument: name)
        }
        for (name, tensor) in [("dk", dk), ("dv", dv), ("k", k), ("v", v)] {
            try expectShape(tensor, [B, T, nKVHeads, headDim], op: op, argument: name)
        }
        try expectShape(logSumExp, [B, nHeads, T], op: op, argument: "logSumExp")
        let scale = scale ?? 1 / Float(headDim).squareRoot()
        let group = nHeads / nKVHeads
        let dqp = dq.data, dkp = dk.data, dvp = dv.data, doutp = dout.data
        let qp = q.data, kp = k.data, vp = v.data, outp = out.data, lsep = logSumExp.data
        if rowKernels, let starts = firstVisibleKeys(segments, B: B, T: T) {
            Parallel.forEach(B * nKVHeads, costPerItem: group * T * T * headDim * 2) { item in
                let b = item / nKVHeads, kvh = item % nKVHeads
                let row = b * T, head = kvh * group
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * group * T) { scratch in
                    for t in 0..<T {
                        let start = starts[row + t]
                        if start < 0 { continue }  // padding query: no output, no gradient
                        let at = ((row + t) * nHeads + head) * headDim, key = ((row + start) * nKVHeads + kvh) * headDim
                        retort_attention_backward_row(
                            qp + at, doutp + at, outp + at, lsep + (b * nHeads + head) * T + t, Int64(T),
                            kp + key, vp + key, Int64(nKVHeads * headDim), Int64(t - start + 1), Int64(group), Int64(headDim),
                            scale, dqp + at, dkp + key, dvp + key, scratch.baseAddress!)
                    }
                }
            }
            return
        }
        withOptionalBuffer(segments) { seg in
            Parallel.forEach(B * nKVHeads, costPerItem: group * T * T * headDim * 2) { item in
                let b = item / nKVHeads, kvh = item % nKVHeads
                let row = b * T
                for h in (kvh * group)..<((kvh + 1) * group) {
                    for t in 0..<T {
                        if let seg, seg[row + t] < 0 { continue }  // padding query: no output, no gradient
                        let query = qp + ((row + t) * nHeads + h) * headDim
                        let dquery = dqp + ((row + t) * nHeads + h) * headDim
                        let dy = doutp + ((row + t) * nHeads + h) * headDim
                        let y = outp + ((row + t) * nHeads + h) * headDim
                        let lse = lsep[(b * nHeads + h) * T + t]
                        // softmax backward needs Σ_s p_s * dp_s = Σ_s p_s (dy · v_s) = dy · out
                        let dyDotOut = dot(dy, y, headDim)
                        for s in 0...t where isVisible(seg, row: row, query: t, key: s) {
                            let key = kp + ((row + s) * nKVHeads + kvh) * headDim
                            let value = vp + ((row + s) * nKVHeads + kvh) * headDim
                            // recompute: p_s = exp(q · k_s * scale - lse)
                            let p = expf(dot(query, key, headDim) * scale - lse)
                            // forward: out += p_s * v_s; so dv_s += p_s * dy and dp_s = dy · v_s
                            addScaled(dvp + ((row + s) * nKVHeads + kvh) * headDim, p, dy, headDim)
                            let dp = dot(dy, value, headDim)
                            // forward: p = softmax(score); so dscore_s = p_s * (dp_s - Σ_r p_r dp_r)
                            let dscore = p * (dp - dyDotOut)
                            // forward: score_s = q · k_s * scale; so dq += dscore * scale * k_s, dk_s += dscore * scale * q
                            addScaled(dquery, dscore * scale, key, headDim)
                            addScaled(dkp + ((row + s) * nKVHeads + kvh) * headDim, dscore * scale, query, headDim)
                        }
                    }
                }
            }
        }
    }

    /// For each of the B*T positions, the first key it may see (its visible keys are that one up to
    /// itself), or -1 for padding; nil when some segment id of a batch row comes back after another
    /// id, so a query's visible keys are not one run (the general loops handle that mask).
    static func firstVisibleKeys(_ segments: [Int32]?, B: Int, T: Int) -> [Int]? {
        guard let segments else { return (0..<(B * T)).map { _ in 0 } }
        var starts = [Int](repeating: -1, count: B * T)
        for b in 0..<B {
            var finished = Set<Int32>()
            var runStart = 0
            for t in 0..<T {
                let id = segments[b * T + t]
                if t > 0, id != segments[b * T + t - 1] {
                    finished.insert(segments[b * T + t - 1])
                    runStart = t
                }
                guard id >= 0 else { continue }
                if finished.contains(id) { return nil }
                starts[b * T + t] = runStart
            }
        }
        return starts
    }

    static func validate(op: String, segments: [Int32]?, B: Int, T: Int, nHeads: Int, nKVHeads: Int) throws {
        guard nHeads > 0, nKVHeads > 0, nHeads % nKVHeads == 0 else {
            throw TensorError.invalidConfiguration(
                op: op, reason: "nHeads (\(nHeads)) must be a positive multiple of nKVHeads (\(nKVHeads))")
        }
        if let segments { try expectLength(segments.count, B * T, op: op, argument: "segments") }
    }

    static func withOptionalBuffer<R>(_ array: [Int32]?, _ body: (UnsafeBufferPointer<Int32>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0) }
    }
}
