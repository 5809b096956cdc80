// The forward pass of the decoder, layer by layer as in llm.c: every op writes into a buffer of
// LlamaActivations that backward reads again. Inputs are token ids (B, T), optional per-token
// positions and segment ids (packing and padding, see Attention), and the hidden states to return.
import RetortTensor

/// What forward returns. Both are views of the model's buffers, valid until the next forward.
public struct LlamaOutput {
    /// (B*T, V) logits.
    public let logits: Tensor
    /// hiddenStates[i] is the residual stream after i layers, (B*T, C): 0 is the embeddings, L the
    /// last layer's output before the final norm. Only the indices asked for are present.
    public let hiddenStates: [Int: Tensor]
    /// (B*T, C): the last layer's output after the final norm, what the LM head (or a reward
    /// model's scalar head) reads.
    public let finalNormed: Tensor
}

extension LlamaModel {
    /// Positions for `segments`: 0, 1, 2, ... restarting where a row starts or the segment id changes;
    /// padding (negative ids) gets 0. Without segments, 0..<T in every row.
    public static func positions(segments: [Int32]?, B: Int, T: Int) -> [Int32] {
        var positions = [Int32](repeating: 0, count: B * T)
        for b in 0..<B {
            var position: Int32 = 0
            for t in 0..<T {
                let n = b * T + t
                if let segments {
                    if segments[n] < 0 { positions[n] = 0; continue }
                    if t > 0 && segments[n] != segments[n - 1] { position = 0 }
                }
                positions[n] = position
                position += 1
            }
        }
        return positions
    }

    /// Runs the model on tokens (B*T ids, row-major (B, T)) and keeps what backward needs.
    /// positions default to `positions(segments:B:T:)`; segments as in Attention.forward.
    /// keepHiddenStates picks layer boundaries in 0...numHiddenLayers (see LlamaOutput).
    /// computeLogits false skips the LM head (a reward model reads `finalNormed` only); the logits
    /// buffer then holds nothing meaningful and backward must get no dlogits.
    @discardableResult
    public func forward(
        tokens: [Int32], B: Int, T: Int, positions: [Int32]? = nil, segments: [Int32]? = nil,
        keepHiddenStates: Set<Int> = [], computeLogits: Bool = true
    ) throws -> LlamaOutput {
        let N = B * T, C = config.hiddenSize, V = config.vocabSize, L = config.numHiddenLayers
        let H = config.intermediateSize, d = config.resolvedHeadDim
        let nHeads = config.numAttentionHeads, nKVHeads = config.numKeyValueHeads
        guard tokens.count == N else {
            throw TensorError.lengthMismatch(op: "LlamaModel.forward", argument: "tokens", expected: N, actual: tokens.count)
        }
        if let positions, positions.count != N {
            throw TensorError.lengthMismatch(op: "LlamaModel.forward", argument: "positions", expected: N, actual: positions.count)
        }
        for index in keepHiddenStates where !(0...L).contains(index) {
            throw ModelError.layerOutOfRange(index: index, layerCount: L + 1)
        }
        let positions = positions ?? Self.positions(segments: segments, B: B, T: T)
        if activations?.B != B || activations?.T != T {
            activations = nil  // release the old buffers before allocating the new ones
            activations = LlamaActivations(config: config, B: B, T: T)
        }
        let acts = activations!
        lastTokens = tokens
        lastPositions = positions
        lastSegments = segments

        // embedding: residual[0] (N, C) = table[tokens]
        try Embedding.forward(out: acts.residual[0], tokens: tokens, table: embedding.value, N: N, V: V, C: C)
        let swiglu = Tensor(shape: [N, H])  // the MLP's hidden activation, not kept
        for (l, layer) in layers.enumerated() {
            let a = acts.layers[l], x = acts.residual[l]
            // attention block: mid = x + o(attention(rope(q(norm(x))), rope(k(norm(x))), v(norm(x))))
            try RMSNorm.forward(out: a.attentionNormed, rstd: a.attentionRstd, inp: x, weight: layer.attentionNorm.value,
                                eps: config.rmsNormEps, N: N, C: C)
            try project(layer, .q, out: a.q, inp: a.attentionNormed, N: N)
            try project(layer, .k, out: a.k, inp: a.attentionNormed, N: N)
            try project(layer, .v, out: a.v, inp: a.attentionNormed, N: N)
            try RoPE.forward(out: a.q, inp: a.q, positions: positions, N: N, nHeads: nHeads, headDim: d,
                             rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            try RoPE.forward(out: a.k, inp: a.k, positions: positions, N: N, nHeads: nKVHeads, headDim: d,
                             rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            try Attention.forward(out: a.attention, logSumExp: a.logSumExp, q: a.q, k: a.k, v: a.v, segments: segments,
                                  B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: d)
            try project(layer, .o, out: a.midResidual, inp: a.attention, N: N)
            try Residual.forward(out: a.midResidual, a: a.midResidual, b: x, N: N * C)
            // MLP block: residual[l+1] = mid + down(silu(gate(norm(mid))) * up(norm(mid)))
            try RMSNorm.forward(out: a.mlpNormed, rstd: a.mlpRstd, inp: a.midResidual, weight: layer.mlpNorm.value,
                                eps: config.rmsNormEps, N: N, C: C)
            try project(layer, .gate, out: a.gate, inp: a.mlpNormed, N: N)
            try project(layer, .up, out: a.up, inp: a.mlpNormed, N: N)
            try SwiGLU.forward(out: swiglu, gate: a.gate, up: a.up, N: N, H: H)
            let next = acts.residual[l + 1]
            try project(layer, .down, out: next, inp: swiglu, N: N)
            try Residual.forward(out: next, a: next, b: a.midResidual, N: N * C)
        }
        // head: logits (N, V) = norm(residual[L]) @ head^T
        try RMSNorm.forward(out: acts.finalNormed, rstd: acts.finalRstd, inp: acts.residual[L], weight: finalNorm.value,
                            eps: config.rmsNormEps, N: N, C: C)
        if computeLogits {
            try Linear.forward(out: acts.logits, inp: acts.finalNormed, weight: headParameter.value, bias: nil, N: N, C: C, OC: V)
        }
        acts.logitsComputed = computeLogits
        var hidden: [Int: Tensor] = [:]
        for index in keepHiddenStates { hidden[index] = acts.residual[index] }
        return LlamaOutput(logits: acts.logits, hiddenStates: hidden, finalNormed: acts.finalNormed)
    }

    /// out (N, OC) = inp (N, C) @ W^T + bias, plus the projection's LoRA adapter if it has one.
    func project(_ layer: LlamaLayer, _ projection: LlamaProjection, out: Tensor, inp: Tensor, N: Int) throws {
        let shape = projection.weightShape(config)
        let OC = shape[0], C = shape[1]
        try Linear.forward(out: out, inp: inp, weight: layer.weight(projection).value,
                           bias: layer.biases[projection]?.value, N: N, C: C, OC: OC)
        if let adapter = layer.adapters[projection] {
            try adapter.forward(out: out, inp: inp, N: N, C: C, OC: OC, training: isTraining)
        }
    }
}
