// The scalar head of a reward model (Ouyang et al. 2022; Hugging Face's
// LlamaForSequenceClassification with one label): r = w · h, where h is the final-normed hidden
// state of a sequence's last token. Named "score.weight" (1, C) as in those checkpoints; no bias,
// since the Bradley–Terry loss sees only differences of rewards.
import RetortTensor

public final class RewardHead {
    public let weight: ModelParameter
    public let width: Int

    /// Weights drawn from N(0, std²) by a seeded generator (HF initializes with initializer_range 0.02).
    public init(width: Int, std: Float = 0.02, seed: UInt64) throws {
        guard width > 0 else { throw ModelError.invalidConfig(field: "reward head width", reason: "is \(width); it must be > 0") }
        self.width = width
        var generator = SplitMix64(seed: seed)
        weight = ModelParameter(name: "score.weight", value: Tensor.normal(shape: [1, width], std: std, generator: &generator),
                                weightDecay: true)
    }

    /// r_i = w · finalNormed[rows[i]] for every given row of finalNormed (N, C).
    public func scores(finalNormed: Tensor, rows: [Int]) throws -> [Float] {
        try check(finalNormed, rows: rows)
        let h = finalNormed.data, w = weight.value.data
        return rows.map { row in
            var sum: Float = 0
            for c in 0..<width { sum += w[c] * h[row * width + c] }
            return sum
        }
    }

    /// Given d loss / d r_i, returns d loss / d finalNormed (N, C), zero except on `rows`, and adds
    /// Σ_i dscores_i · finalNormed[rows[i]] into the weight's gradient (when trainable).
    public func backward(finalNormed: Tensor, rows: [Int], dscores: [Float]) throws -> Tensor {
        try check(finalNormed, rows: rows)
        guard dscores.count == rows.count else {
            throw ModelError.invalidConfig(field: "reward head gradient", reason: "has \(dscores.count) values for \(rows.count) scores")
        }
        let dnormed = Tensor(shape: finalNormed.shape)
        let h = finalNormed.data, w = weight.value.data, d = dnormed.data
        for (row, g) in zip(rows, dscores) {
            for c in 0..<width { d[row * width + c] += g * w[c] }
            if let gradient = weight.gradient?.data {
                for c in 0..<width { gradient[c] += g * h[row * width + c] }
            }
        }
        return dnormed
    }

    private func check(_ finalNormed: Tensor, rows: [Int]) throws {
        guard finalNormed.rowSize == width else {
            throw ModelError.invalidConfig(field: "reward head input", reason: "has width \(finalNormed.rowSize), the head reads \(width)")
        }
        if let bad = rows.first(where: { !(0..<finalNormed.rowCount).contains($0) }) {
            throw ModelError.invalidConfig(field: "reward head row", reason: "\(bad) is outside 0..<\(finalNormed.rowCount)")
        }
    }
}
