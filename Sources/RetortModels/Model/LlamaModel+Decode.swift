// Inference with KV caches: the same layers and ops as `forward`, run on the new tokens of one or
// many sequences at once. A step stacks every sequence's new tokens into one matrix, so each weight
// matrix is read once per step and multiplied as one GEMM over the batch; attention runs per
// sequence over its own cache. Rows never mix (see RowStableLinear and CachedAttention), so a
// sequence gets bit-identical logits alone, beside others, or with its prompt run in pieces.
// This is how the local white-box teacher generates.
import Foundation
import RetortTensor

/// One sequence's part of a decode step: new tokens to run after what its cache holds.
public struct DecodeInput {
    /// Which of the new tokens' logits the step computes.
    public enum Logits: Sendable { case none, last, all }

    public var tokens: [Int32]
    public var cache: LlamaKVCache
    public var logits: Logits

    public init(tokens: [Int32], cache: LlamaKVCache, logits: Logits = .last) {
        self.tokens = tokens
        self.cache = cache
        self.logits = logits
    }
}

/// What a decode step returns: the logits asked for, input after input.
public struct DecodeOutput {
    /// (rows, V); a view of the workspace, valid until its next step.
    public let logits: Tensor
    /// For each input, its rows of `logits` (empty when it asked for none).
    public let rows: [Range<Int>]
}

extension LlamaModel {
    public func makeCache(capacity: Int) -> LlamaKVCache { LlamaKVCache(config: config, capacity: capacity) }

    public func makeDecodeWorkspace() -> DecodeWorkspace { DecodeWorkspace(config: config) }

    /// Runs `tokens` (n ≥ 1 new tokens of one sequence) after what `cache` holds and appends them
    /// to it. Returns the logits of every new token (n, V), or only of the last one (1, V).
    public func decode(_ tokens: [Int32], cache: LlamaKVCache, allLogits: Bool = false) throws -> Tensor {
        let output = try decode([DecodeInput(tokens: tokens, cache: cache, logits: allLogits ? .all : .last)],
                                workspace: makeDecodeWorkspace())
        return output.logits  // the workspace is this call's own, so the view stays valid
    }

    /// One step for many sequences: runs each input's tokens after its cache, appends them to it,
    /// and returns the logits each input asked for. Inputs may have different lengths and
    /// positions (a prompt's prefill beside other sequences' next tokens); each cache may appear once.
    public func decode(_ inputs: [DecodeInput], workspace: DecodeWorkspace) throws -> DecodeOutput {
        try validate(inputs, workspace: workspace)
        let C = config.hiddenSize, V = config.vocabSize, H = config.intermediateSize, d = config.resolvedHeadDim
        let nHeads = config.numAttentionHeads, nKV = config.numKeyValueHeads, kvWidth = config.keyValueWidth

        // Stack the inputs' rows; note each row's position and sequence, and which rows need logits.
        var tokens: [Int32] = [], positions: [Int32] = [], owners: [Int32] = []
        var spans: [CachedAttention.Span] = [], logitRows: [Range<Int>] = [], selectedRows: [Int] = []
        for (index, input) in inputs.enumerated() {
            let start = tokens.count, past = input.cache.length, n = input.tokens.count
            tokens += input.tokens
            positions += (past..<(past + n)).map { Int32($0) }
            owners += repeatElement(Int32(index), count: n)
            spans.append(CachedAttention.Span(start: start, count: n, past: past, cache: input.cache))
            let wanted: Range<Int> = switch input.logits {
            case .none: start..<start
            case .last: (start + n - 1)..<(start + n)
            case .all: start..<(start + n)
            }
            logitRows.append(selectedRows.count..<(selectedRows.count + wanted.count))
            selectedRows += wanted
            input.cache.reserve(n)
        }
        let N = tokens.count, m = selectedRows.count
        let w = try workspace.prepare(rows: N, logitRows: m)

        try Embedding.forward(out: w.x, tokens: tokens, table: embedding.value, N: N, V: V, C: C)
        for (l, layer) in layers.enumerated() {
            // attention block: mid = x + o(attention(rope(q(norm(x))), rope(k(norm(x))), v(norm(x))))
            try RMSNorm.forward(out: w.normed, rstd: w.rstd, inp: w.x, weight: layer.attentionNorm.value, eps: config.rmsNormEps, N: N, C: C)
            decodeProject(layer, [(.q, workspace.q.data), (.k, workspace.k.data), (.v, workspace.v.data)], inp: workspace.normed.data, rows: N)
            try RoPE.forward(out: w.q, inp: w.q, positions: positions, N: N, nHeads: nHeads, headDim: d,
                             rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            try RoPE.forward(out: w.k, inp: w.k, positions: positions, N: N, nHeads: nKV, headDim: d,
                             rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            for span in spans {
                span.cache.key(l, span.past).update(from: workspace.k.data + span.start * kvWidth, count: span.count * kvWidth)
                span.cache.value(l, span.past).update(from: workspace.v.data + span.start * kvWidth, count: span.count * kvWidth)
            }
            CachedAttention.forward(out: workspace.attention.data, q: workspace.q.data, spans: spans, rowOwners: owners, layer: l,
                                    nHeads: nHeads, nKVHeads: nKV, headDim: d)
            decodeProject(layer, [(.o, workspace.mid.data)], inp: workspace.attention.data, rows: N)
            try Residual.forward(out: w.mid, a: w.mid, b: w.x, N: N * C)
            // MLP block: x = mid + down(silu(gate(norm(mid))) * up(norm(mid)))
            try RMSNorm.forward(out: w.normed, rstd: w.rstd, inp: w.mid, weight: layer.mlpNorm.value, eps: config.rmsNormEps, N: N, C: C)
            decodeProject(layer, [(.gate, workspace.gate.data), (.up, workspace.up.data)], inp: workspace.normed.data, rows: N)
            try SwiGLU.forward(out: w.hidden, gate: w.gate, up: w.up, N: N, H: H)
            decodeProject(layer, [(.down, workspace.x.data)], inp: workspace.hidden.data, rows: N)
            try Residual.forward(out: w.x, a: w.x, b: w.mid, N: N * C)
        }
        for span in spans { span.cache.length = span.past + span.count }

        // Only the rows whose logits are wanted go through the final norm and the (V × C) head.
        guard m > 0 else { return DecodeOutput(logits: try workspace.logits.rows(0..<0), rows: logitRows) }
        for (i, row) in selectedRows.enumerated() {
            (workspace.selected.data + i * C).update(from: workspace.x.data + row * C, count: C)
        }
        let selected = try workspace.selected.rows(0..<m), normed = try workspace.selectedNormed.rows(0..<m)
        try RMSNorm.forward(out: normed, rstd: try workspace.selectedRstd.rows(0..<m), inp: selected, weight: finalNorm.value,
                            eps: config.rmsNormEps, N: m, C: C)
        RowStableLinear.forward(inp: workspace.selectedNormed.data, rows: m, C: C,
                                [.init(out: workspace.logits.data, weight: headParameter, bias: nil, outFeatures: V)])
        return DecodeOutput(logits: try workspace.logits.rows(0..<m), rows: logitRows)
    }

    /// out (rows, OC) = inp (rows, C) @ W^T + bias, plus the projection's LoRA adapter (never dropped
    /// out), for projections that share their input, in one parallel pass.
    private func decodeProject(_ layer: LlamaLayer, _ projections: [(LlamaProjection, UnsafeMutablePointer<Float>)],
                               inp: UnsafeMutablePointer<Float>, rows: Int) {
        let C = projections[0].0.weightShape(config)[1]
        RowStableLinear.forward(inp: inp, rows: rows, C: C, projections.map { projection, out in
            .init(out: out, weight: layer.weight(projection), bias: layer.biases[projection]?.value,
                  outFeatures: projection.weightShape(config)[0])
        })
        for (projection, out) in projections {
            if let adapter = layer.adapters[projection] {
                let shape = projection.weightShape(config)
                RowStableLinear.addAdapter(adapter, out: out, inp: inp, rows: rows, C: shape[1], OC: shape[0])
            }
        }
    }

    /// Refuses a step that cannot run: no inputs, an empty input, a cache twice, a cache of another
    /// shape, or more tokens than a cache holds.
    private func validate(_ inputs: [DecodeInput], workspace: DecodeWorkspace) throws {
        guard !inputs.isEmpty else {
            throw TensorError.lengthMismatch(op: "LlamaModel.decode", argument: "inputs", expected: 1, actual: 0)
        }
        guard workspace.config == config else {
            throw ModelError.invalidConfig(field: "workspace", reason: "was made for another model; use this model's makeDecodeWorkspace()")
        }
        var seen = Set<ObjectIdentifier>()
        for (index, input) in inputs.enumerated() {
            let cache = input.cache
            guard !input.tokens.isEmpty else {
                throw TensorError.lengthMismatch(op: "LlamaModel.decode", argument: "inputs[\(index)].tokens", expected: 1, actual: 0)
            }
            guard seen.insert(ObjectIdentifier(cache)).inserted else {
                throw ModelError.invalidConfig(field: "cache", reason: "inputs[\(index)] uses a cache another input of the step uses")
            }
            guard cache.width == config.keyValueWidth, cache.layerCount == config.numHiddenLayers else {
                throw ModelError.invalidConfig(field: "cache", reason: "inputs[\(index)] has a cache made for another model")
            }
            guard cache.length + input.tokens.count <= cache.capacity else {
                throw ModelError.invalidConfig(
                    field: "cache",
                    reason: "holds \(cache.capacity) tokens; \(cache.length) cached + \(input.tokens.count) new do not fit")
            }
        }
    }

    /// Greedy generation from `prompt` until a stop token or `maxTokens` new tokens.
    public func generateGreedy(prompt: [Int32], maxTokens: Int, stopTokens: Set<Int32>) throws -> [Int32] {
        let cache = makeCache(capacity: prompt.count + maxTokens)
        let workspace = makeDecodeWorkspace()
        var logits = try decode([DecodeInput(tokens: prompt, cache: cache)], workspace: workspace).logits
        var generated: [Int32] = []
        for _ in 0..<maxTokens {
            let V = config.vocabSize
            var best = 0
            for j in 1..<V where logits.data[j] > logits.data[best] { best = j }
            let token = Int32(best)
            if stopTokens.contains(token) { break }
            generated.append(token)
            if generated.count == maxTokens { break }
            logits = try decode([DecodeInput(tokens: [token], cache: cache)], workspace: workspace).logits
        }
        return generated
    }
}
