// The backward pass of the decoder, the forward's ops in reverse, layer by layer as in llm.c.
// One residual-gradient buffer flows down the stack: each block's residual connection passes it
// through unchanged, and each block's branch adds its part. Parameter gradients accumulate (+=);
// frozen parameters (no gradient buffer) are skipped.
import RetortTensor

extension LlamaModel {
    /// Backpropagates dlogits (B*T, V) from the last forward into every trainable parameter's
    /// gradient (+=). dlogits may be the logits buffer itself. dHiddenStates[i] (B*T, C), for
    /// feature distillation, is d loss / d hiddenStates[i] and joins the residual gradient there.
    /// dFinalNormed (B*T, C), for a head of its own (a reward model's), is d loss / d finalNormed;
    /// dlogits may then be nil, and must be when the forward skipped the logits.
    public func backward(dlogits: Tensor?, dHiddenStates: [Int: Tensor] = [:], dFinalNormed: Tensor? = nil) throws {
        guard let acts = activations else {
            throw ModelError.backwardWithoutForward(reason: "no forward pass has run")
        }
        let B = acts.B, T = acts.T
        let N = B * T, C = config.hiddenSize, V = config.vocabSize, L = config.numHiddenLayers
        let H = config.intermediateSize, d = config.resolvedHeadDim
        let nHeads = config.numAttentionHeads, nKVHeads = config.numKeyValueHeads
        if let dlogits {
            guard acts.logitsComputed else {
                throw ModelError.backwardWithoutForward(reason: "dlogits were given but the last forward did not compute logits")
            }
            guard dlogits.count == N * V else {
                throw ModelError.backwardWithoutForward(
                    reason: "dlogits has \(dlogits.count) elements, the last forward produced \(N) x \(V) logits")
            }
        }
        if let dFinalNormed, dFinalNormed.count != N * C {
            throw ModelError.backwardWithoutForward(reason: "dFinalNormed has \(dFinalNormed.count) elements, expected \(N) x \(C)")
        }
        for (index, gradient) in dHiddenStates {
            guard (0...L).contains(index) else { throw ModelError.layerOutOfRange(index: index, layerCount: L + 1) }
            guard gradient.count == N * C else {
                throw ModelError.backwardWithoutForward(
                    reason: "dHiddenStates[\(index)] has \(gradient.count) elements, expected \(N) x \(C)")
            }
        }
        let positions = lastPositions, segments = lastSegments
        func addHiddenGradient(_ index: Int, into dresidual: Tensor) throws {
            if let gradient = dHiddenStates[index] {
                try Residual.forward(out: dresidual, a: dresidual, b: gradient, N: N * C)
            }
        }

        // head, forward: logits = finalNormed @ head^T; so dfinalNormed = dlogits @ head, dhead += dlogits^T finalNormed
        let dnormed = try dFinalNormed?.copy().reshaped([N, C]) ?? Tensor(shape: [N, C])
        if let dlogits {
            try Linear.backward(dinp: dnormed, dweight: headParameter.gradient, dbias: nil, dout: dlogits,
                                inp: acts.finalNormed, weight: headParameter.value, N: N, C: C, OC: V)
        }
        // final norm, forward: finalNormed = rmsnorm(residual[L]); dresidual is d loss / d residual[L]
        let dresidual = Tensor(shape: [N, C])
        try RMSNorm.backward(dinp: dresidual, dweight: finalNorm.gradient, dout: dnormed, inp: acts.residual[L],
                             weight: finalNorm.value, rstd: acts.finalRstd, N: N, C: C)
        try addHiddenGradient(L, into: dresidual)

        // scratch reused by every layer
        let swiglu = Tensor(shape: [N, H]), dswiglu = Tensor(shape: [N, H])
        let dgate = Tensor(shape: [N, H]), dup = Tensor(shape: [N, H])
        let dattention = Tensor(shape: [N, config.queryWidth])
        let dq = Tensor(shape: [N, nHeads, d]), dk = Tensor(shape: [N, nKVHeads, d]), dv = Tensor(shape: [N, nKVHeads, d])
        let dqRaw = Tensor(shape: [N, nHeads, d]), dkRaw = Tensor(shape: [N, nKVHeads, d])
        for l in stride(from: L - 1, through: 0, by: -1) {
            let layer = layers[l], a = acts.layers[l]
            // MLP block, forward: out = mid + down(swiglu(gate(mlpNormed), up(mlpNormed))).
            // dresidual is d out; the residual passes it to d mid unchanged, so it stays in place.
            try SwiGLU.forward(out: swiglu, gate: a.gate, up: a.up, N: N, H: H)  // recompute, not stored
            dswiglu.zero()
            try projectBackward(layer, .down, dinp: dswiglu, dout: dresidual, inp: swiglu, N: N)
            dgate.zero(); dup.zero()
            try SwiGLU.backward(dgate: dgate, dup: dup, dout: dswiglu, gate: a.gate, up: a.up, N: N, H: H)
            dnormed.zero()
            try projectBackward(layer, .gate, dinp: dnormed, dout: dgate, inp: a.mlpNormed, N: N)
            try projectBackward(layer, .up, dinp: dnormed, dout: dup, inp: a.mlpNormed, N: N)
            // forward: mlpNormed = rmsnorm(mid); so d mid += rmsnorm backward (dresidual is now d mid)
            try RMSNorm.backward(dinp: dresidual, dweight: layer.mlpNorm.gradient, dout: dnormed, inp: a.midResidual,
                                 weight: layer.mlpNorm.value, rstd: a.mlpRstd, N: N, C: C)

            // attention block, forward: mid = x + o(attention); dresidual is d mid and becomes d x
            dattention.zero()
            try projectBackward(layer, .o, dinp: dattention, dout: dresidual, inp: a.attention, N: N)
            dq.zero(); dk.zero(); dv.zero()
            try Attention.backward(dq: dq, dk: dk, dv: dv, dout: dattention, q: a.q, k: a.k, v: a.v, out: a.attention,
                                   logSumExp: a.logSumExp, segments: segments,
                                   B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: d)
            // forward: q = rope(q_proj(normed)), k likewise; so d q_proj output = rope^-1(dq)
            dqRaw.zero(); dkRaw.zero()
            try RoPE.backward(dinp: dqRaw, dout: dq, positions: positions, N: N, nHeads: nHeads, headDim: d,
                              rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            try RoPE.backward(dinp: dkRaw, dout: dk, positions: positions, N: N, nHeads: nKVHeads, headDim: d,
                              rotaryDim: config.rotaryDim, theta: config.ropeTheta)
            dnormed.zero()
            try projectBackward(layer, .q, dinp: dnormed, dout: dqRaw, inp: a.attentionNormed, N: N)
            try projectBackward(layer, .k, dinp: dnormed, dout: dkRaw, inp: a.attentionNormed, N: N)
            try projectBackward(layer, .v, dinp: dnormed, dout: dv, inp: a.attentionNormed, N: N)
            // forward: attentionNormed = rmsnorm(x); so d x += rmsnorm backward
            try RMSNorm.backward(dinp: dresidual, dweight: layer.attentionNorm.gradient, dout: dnormed,
                                 inp: acts.residual[l], weight: layer.attentionNorm.value, rstd: a.attentionRstd, N: N, C: C)
            try addHiddenGradient(l, into: dresidual)
        }
        // embedding, forward: residual[0] = table[tokens]; so dtable[tokens[n]] += dresidual[n]
        if let dtable = embedding.gradient {
            try Embedding.backward(dtable: dtable, dout: dresidual, tokens: lastTokens, N: N, V: V, C: C)
        }
    }

    /// Backward of `project`: dinp (N, C) += dout W (+ the adapter's path); dW, dbias and the
    /// adapter's dA, dB accumulate when trainable. dout is (N, OC), inp (N, C) as in forward.
    func projectBackward(_ layer: LlamaLayer, _ projection: LlamaProjection, dinp: Tensor?, dout: Tensor, inp: Tensor, N: Int) throws {
        let shape = projection.weightShape(config)
        let OC = shape[0], C = shape[1]
        let weight = layer.weight(projection)
        try Linear.backward(dinp: dinp, dweight: weight.gradient, dbias: layer.biases[projection]?.gradient,
                            dout: dout, inp: inp, weight: weight.value, N: N, C: C, OC: OC)
        if let adapter = layer.adapters[projection] {
            try adapter.backward(dinp: dinp, dout: dout, inp: inp, N: N, C: C, OC: OC)
        }
    }
}
