// The buffers one forward pass fills and backward reads, for one (B, T): the residual stream at
// every layer boundary, each layer's normed inputs, q/k/v, attention output and MLP gate/up, and
// the logits. The SwiGLU output is not kept: backward recomputes it into scratch.
import RetortTensor

final class LlamaLayerActivations {
    /// RMSNorm outputs and their rstd: before attention and before the MLP. (N, C) and (N).
    let attentionNormed: Tensor, attentionRstd: Tensor
    let mlpNormed: Tensor, mlpRstd: Tensor
    /// q after RoPE (N, nHeads, headDim); k after RoPE and v (N, nKVHeads, headDim).
    let q: Tensor, k: Tensor, v: Tensor
    /// Attention output (N, nHeads * headDim) and its log-sum-exp (B, nHeads, T).
    let attention: Tensor, logSumExp: Tensor
    /// The residual stream between attention and MLP: x + o_proj(attention), (N, C).
    let midResidual: Tensor
    /// The MLP's two input projections, (N, intermediate).
    let gate: Tensor, up: Tensor

    init(config: LlamaConfig, B: Int, T: Int) {
        let N = B * T, C = config.hiddenSize, H = config.intermediateSize, d = config.resolvedHeadDim
        attentionNormed = Tensor(shape: [N, C]); attentionRstd = Tensor(shape: [N])
        mlpNormed = Tensor(shape: [N, C]); mlpRstd = Tensor(shape: [N])
        q = Tensor(shape: [N, config.numAttentionHeads, d])
        k = Tensor(shape: [N, config.numKeyValueHeads, d])
        v = Tensor(shape: [N, config.numKeyValueHeads, d])
        attention = Tensor(shape: [N, config.queryWidth])
        logSumExp = Tensor(shape: [B, config.numAttentionHeads, T])
        midResidual = Tensor(shape: [N, C])
        gate = Tensor(shape: [N, H]); up = Tensor(shape: [N, H])
    }
}

final class LlamaActivations {
    let B: Int, T: Int
    /// residual[i] is the stream entering layer i (residual[0] = embeddings, residual[L] = last layer's output).
    let residual: [Tensor]
    let layers: [LlamaLayerActivations]
    /// The final RMSNorm's output (N, C) and rstd (N).
    let finalNormed: Tensor, finalRstd: Tensor
    /// (N, V): the one logits buffer; the caller may overwrite it with dlogits.
    let logits: Tensor
    /// Whether the last forward filled `logits` (a reward model's forward skips the LM head).
    var logitsComputed = true

    init(config: LlamaConfig, B: Int, T: Int) {
        self.B = B
        self.T = T
        let N = B * T, C = config.hiddenSize
        residual = (0...config.numHiddenLayers).map { _ in Tensor(shape: [N, C]) }
        layers = (0..<config.numHiddenLayers).map { _ in LlamaLayerActivations(config: config, B: B, T: T) }
        finalNormed = Tensor(shape: [N, C]); finalRstd = Tensor(shape: [N])
        logits = Tensor(shape: [N, config.vocabSize])
    }
}
