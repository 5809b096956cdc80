// Inference with a KV cache: the same layers and ops as `forward`, run on the new tokens of one
// sequence, with attention over the cached keys and values. This is how the local white-box
// teacher generates and scores text.
import Foundation
import RetortTensor

extension LlamaModel {
    public func makeCache(capacity: Int) -> LlamaKVCache { LlamaKVCache(config: config, capacity: capacity) }

    /// Runs `tokens` (n ≥ 1 new tokens of one sequence) after what `cache` holds and appends them
    /// to it. Returns the logits of every new token (n, V), or only of the last one (1, V).
    public func decode(_ tokens: [Int32], cache: LlamaKVCache, allLogits: Bool = false) throws -> Tensor {
        let n = tokens.count, past = cache.length
        let C = config.hiddenSize, V = config.vocabSize, H = config.intermediateSize, d = config.resolvedHeadDim
        let nHeads = config.numAttentionHeads, nKV = config.numKeyValueHeads, kvWidth = config.keyValueWidth
        guard n > 0 else { throw TensorError.lengthMismatch(op: "LlamaModel.decode", argument: "tokens", expected: 1, actual: 0) }
        guard past + n <= cache.capacity else {
            throw ModelError.invalidConfig(field: "cache", reason: "holds \(cache.capacity) tokens; \(past) cached + \(n) new do not fit")
        }
        // Inference never applies LoRA dropout.
        let wasTraining = isTraining
        isTraining = false
        defer { isTraining = wasTraining }
        let positions = (past..<(past + n)).map { Int32($0) }
        let x = Tensor(shape: [n, C]), normed = Tensor(shape: [n, C]), rstd = Tensor(shape: [n])
        let q = Tensor(shape: [n, config.queryWidth]), k = Tensor(shape: [n, kvWidth]), v = Tensor(shape: [n, kvWidth])
        let attention = Tensor(shape: [n, config.queryWidth]), mid = Tensor(shape: [n, C])
        let gate = Tensor(shape: [n, H]), up = Tensor(shape: [n, H]), hidden = Tensor(shape: [n, H])
        try Embedding.forward(out: x, tokens: tokens, table: embedding.value, N: n, V: V, C: C)
        for (l, layer) in layers.enumerated() {
            try RMSNorm.forward(out: normed, rstd: rstd, inp: x, weight: layer.attentionNorm.value, eps: config.rmsNormEps, N: n, C: C)
            try project(layer, .q, out: q, inp: normed, N: n)
            try project(layer, .k, out: k, inp: normed, N: n)
            try project(layer, .v, out: v, inp: normed, N: n)
            try RoPE.forward(out: q, inp: q, positions: positions, N: n, nHeads: nHeads, headDim: d,
                             rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            try RoPE.forward(out: k, inp: k, positions: positions, N: n, nHeads: nKV, headDim: d,
                             rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            (cache.keys[l].data + past * kvWidth).update(from: k.data, count: n * kvWidth)
            (cache.values[l].data + past * kvWidth).update(from: v.data, count: n * kvWidth)
            Self.cachedAttention(out: attention, q: q, keys: cache.keys[l], values: cache.values[l], past: past, n: n,
                                 nHeads: nHeads, nKVHeads: nKV, headDim: d)
            try project(layer, .o, out: mid, inp: attention, N: n)
            try Residual.forward(out: mid, a: mid, b: x, N: n * C)
            try RMSNorm.forward(out: normed, rstd: rstd, inp: mid, weight: layer.mlpNorm.value, eps: config.rmsNormEps, N: n, C: C)
            try project(layer, .gate, out: gate, inp: normed, N: n)
            try project(layer, .up, out: up, inp: normed, N: n)
            try SwiGLU.forward(out: hidden, gate: gate, up: up, N: n, H: H)
            try project(layer, .down, out: x, inp: hidden, N: n)
            try Residual.forward(out: x, a: x, b: mid, N: n * C)
        }
        cache.length = past + n
        // Only the rows whose logits are wanted go through the (V × C) head.
        let rows = allLogits ? x : try x.rows((n - 1)..<n)
        let m = allLogits ? n : 1
        let finalNormed = Tensor(shape: [m, C]), finalRstd = Tensor(shape: [m])
        try RMSNorm.forward(out: finalNormed, rstd: finalRstd, inp: rows, weight: finalNorm.value, eps: config.rmsNormEps, N: m, C: C)
        let logits = Tensor(shape: [m, V])
        try Linear.forward(out: logits, inp: finalNormed, weight: headParameter.value, bias: nil, N: m, C: C, OC: V)
        return logits
    }

    /// out (n, nHeads·d): new query i (position past+i) attends causally to cached rows 0...past+i.
    /// keys/values are (capacity, nKVHeads·d); query head h reads kv head h / (nHeads / nKVHeads).
    static func cachedAttention(out: Tensor, q: Tensor, keys: Tensor, values: Tensor, past: Int, n: Int,
                                nHeads: Int, nKVHeads: Int, headDim d: Int) {
        let group = nHeads / nKVHeads, kvWidth = nKVHeads * d, qWidth = nHeads * d
        let scale = 1 / Float(d).squareRoot()
        let qp = q.data, kp = keys.data, vp = values.data, op = out.data
        Parallel.forEach(n * nHeads, costPerItem: 4 * (past + n) * d) { job in
            let i = job / nHeads, h = job % nHeads, kvHead = h / group
            let length = past + i + 1
            let query = qp + i * qWidth + h * d
            var scores = [Float](repeating: 0, count: length)
            var maxScore = -Float.infinity
            for j in 0..<length {
                let key = kp + j * kvWidth + kvHead * d
                var dot: Float = 0
                for c in 0..<d { dot += query[c] * key[c] }
                scores[j] = dot * scale
                maxScore = max(maxScore, scores[j])
            }
            var sum: Float = 0
            for j in 0..<length {
                scores[j] = exp(scores[j] - maxScore)
                sum += scores[j]
            }
            let output = op + i * qWidth + h * d
            for c in 0..<d { output[c] = 0 }
            for j in 0..<length {
                let weight = scores[j] / sum
                let value = vp + j * kvWidth + kvHead * d
                for c in 0..<d { output[c] += weight * value[c] }
            }
        }
    }

    /// Greedy generation from `prompt` until a stop token or `maxTokens` new tokens.
    public func generateGreedy(prompt: [Int32], maxTokens: Int, stopTokens: Set<Int32>) throws -> [Int32] {
        let cache = makeCache(capacity: prompt.count + maxTokens)
        var logits = try decode(prompt, cache: cache)
        var generated: [Int32] = []
        for _ in 0..<maxTokens {
            let V = config.vocabSize
            var best = 0
            for j in 1..<V where logits.data[j] > logits.data[best] { best = j }
            let token = Int32(best)
            if stopTokens.contains(token) { break }
            generated.append(token)
            if generated.count == maxTokens { break }
            logits = try decode([token], cache: cache)
        }
        return generated
    }
}
