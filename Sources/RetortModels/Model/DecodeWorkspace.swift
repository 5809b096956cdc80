// The scratch buffers of decode steps, kept between steps and grown to the largest step so far,
// so a step of a running batch allocates nothing but small views. Row counts include the padding
// RowStableLinear adds to small products. One workspace serves one thread at a time.
import RetortTensor

public final class DecodeWorkspace: @unchecked Sendable {
    let config: LlamaConfig
    /// Rows every activation buffer holds, and rows the logits buffer holds.
    private(set) var rowCapacity = 0
    private(set) var logitRowCapacity = 0
    /// (rows, C): the residual stream, a normed copy, and the stream between attention and MLP.
    private(set) var x = Tensor(shape: [0]), normed = Tensor(shape: [0]), mid = Tensor(shape: [0])
    /// (rows): the RMSNorm scales (unused by inference, required by the op).
    private(set) var rstd = Tensor(shape: [0])
    /// (rows, nHeads, d) queries and attention output; (rows, nKVHeads, d) keys and values.
    private(set) var q = Tensor(shape: [0]), attention = Tensor(shape: [0])
    private(set) var k = Tensor(shape: [0]), v = Tensor(shape: [0])
    /// (rows, intermediate): the MLP's gate, up and their SwiGLU.
    private(set) var gate = Tensor(shape: [0]), up = Tensor(shape: [0]), hidden = Tensor(shape: [0])
    /// (logit rows, C) the rows whose logits are asked for, normed; (logit rows, V) their logits.
    private(set) var selected = Tensor(shape: [0]), selectedNormed = Tensor(shape: [0]), selectedRstd = Tensor(shape: [0])
    private(set) var logits = Tensor(shape: [0])

    /// Views of the buffers for a step of `rows` rows, rebuilt only when the row count changes.
    private var cachedViews: StepViews?

    public init(config: LlamaConfig) { self.config = config }

    /// The buffers cut to `rows` rows (shapes as the ops expect them).
    struct StepViews {
        let rows: Int
        let x: Tensor, normed: Tensor, mid: Tensor, rstd: Tensor
        let q: Tensor, k: Tensor, attention: Tensor
        let gate: Tensor, up: Tensor, hidden: Tensor
    }

    /// Makes room for a step of `rows` rows with `logitRows` rows of logits, and returns the views.
    func prepare(rows: Int, logitRows: Int) throws -> StepViews {
        let C = config.hiddenSize, H = config.intermediateSize, V = config.vocabSize
        let d = config.resolvedHeadDim, nHeads = config.numAttentionHeads, nKV = config.numKeyValueHeads
        let needed = max(rows, 1)
        if needed > rowCapacity {
            // Grow by half again at least, so a batch that gains a row at a time reallocates rarely.
            let grown = max(needed, rowCapacity + rowCapacity / 2)
            x = Tensor(shape: [grown, C]); normed = Tensor(shape: [grown, C]); mid = Tensor(shape: [grown, C])
            rstd = Tensor(shape: [grown])
            q = Tensor(shape: [grown, nHeads, d]); attention = Tensor(shape: [grown, nHeads, d])
            k = Tensor(shape: [grown, nKV, d]); v = Tensor(shape: [grown, nKV, d])
            gate = Tensor(shape: [grown, H]); up = Tensor(shape: [grown, H]); hidden = Tensor(shape: [grown, H])
            rowCapacity = grown
            cachedViews = nil
        }
        let neededLogits = logitRows
        if neededLogits > logitRowCapacity {
            let grown = max(neededLogits, logitRowCapacity + logitRowCapacity / 2)
            selected = Tensor(shape: [grown, C]); selectedNormed = Tensor(shape: [grown, C]); selectedRstd = Tensor(shape: [grown])
            logits = Tensor(shape: [grown, V])
            logitRowCapacity = grown
        }
        if let views = cachedViews, views.rows == rows { return views }
        let views = StepViews(
            rows: rows, x: try x.rows(0..<rows), normed: try normed.rows(0..<rows), mid: try mid.rows(0..<rows),
            rstd: try rstd.rows(0..<rows), q: try q.rows(0..<rows), k: try k.rows(0..<rows),
            attention: try attention.rows(0..<rows), gate: try gate.rows(0..<rows), up: try up.rows(0..<rows),
            hidden: try hidden.rows(0..<rows))
        cachedViews = views
        return views
    }
}
