// A LoRA adapter (Hu et al., 2021) on one linear projection: out += (alpha / r) * dropout(x) A^T B^T,
// with A (r, in) and B (out, r) trainable and the base weight frozen. B starts at zero, so a fresh
// adapter leaves the model unchanged. Dropout masks are regenerated in backward from a saved seed
// instead of being stored.
import RetortTensor

public final class LoRAAdapter: @unchecked Sendable {
    public let rank: Int
    public let alpha: Float
    /// Probability of zeroing an input element of the adapter path while training.
    public let dropout: Float
    /// A is (rank, in); named "<module>.lora_A.weight" as PEFT names it (without its "base_model.model." prefix).
    public let a: ModelParameter
    /// B is (out, rank); named "<module>.lora_B.weight".
    public let b: ModelParameter
    /// The scale alpha / rank applied to B A.
    public var scale: Float { alpha / Float(rank) }

    var generator: SplitMix64
    /// From the last forward: h = dropout(x) A^T, (N, rank), and the seed of its dropout mask.
    var hidden: Tensor?
    var maskSeed: UInt64?

    /// A ~ uniform(-1/sqrt(in), 1/sqrt(in)) (PEFT's kaiming-uniform bound), B = 0.
    init(modulePath: String, inFeatures: Int, outFeatures: Int, rank: Int, alpha: Float, dropout: Float,
         generator: inout SplitMix64) throws {
        guard rank > 0 else { throw ModelError.invalidLoRA(reason: "rank must be positive, got \(rank)") }
        guard dropout >= 0 && dropout < 1 else {
            throw ModelError.invalidLoRA(reason: "dropout must lie in [0, 1), got \(dropout)")
        }
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        let bound = 1 / Float(inFeatures).squareRoot()
        a = ModelParameter(name: modulePath + ".lora_A.weight",
                           value: Tensor.uniform(shape: [rank, inFeatures], in: -bound...bound, generator: &generator),
                           weightDecay: true)
        b = ModelParameter(name: modulePath + ".lora_B.weight", value: Tensor(shape: [outFeatures, rank]), weightDecay: true)
        self.generator = SplitMix64(seed: generator.next())
    }

    /// out += scale * dropout(inp) A^T B^T. out is (N, OC) holding the base projection, inp is (N, C).
    /// With `training` false (or dropout 0) the mask is all ones.
    func forward(out: Tensor, inp: Tensor, N: Int, C: Int, OC: Int, training: Bool) throws {
        maskSeed = training && dropout > 0 ? generator.next() : nil
        let u = try droppedInput(inp, N: N, C: C)
        let h = hidden?.count == N * rank ? hidden! : Tensor(shape: [N, rank])
        hidden = h
        // h (N, r) = u (N, C) @ A^T (C, r)
        try Linear.forward(out: h, inp: u, weight: a.value, bias: nil, N: N, C: C, OC: rank)
        // out (N, OC) += scale * h (N, r) @ B^T (r, OC)
        GEMM.sgemm(transA: false, transB: true, M: N, N: OC, K: rank, alpha: scale,
                   A: h.data, lda: rank, B: b.value.data, ldb: rank, beta: 1, C: out.data, ldc: OC)
    }

    /// Backward of `forward`: dA, dB (if trainable) and dinp accumulate (+=).
    /// dinp is (N, C), dout is (N, OC), inp is (N, C) as given to forward.
    func backward(dinp: Tensor?, dout: Tensor, inp: Tensor, N: Int, C: Int, OC: Int) throws {
        guard let h = hidden, h.count == N * rank else {
            throw ModelError.backwardWithoutForward(reason: "LoRA adapter \(a.name) has no saved activations for \(N) rows")
        }
        // forward: out += scale * h B^T; so dB (OC, r) += scale * dout^T (OC, N) @ h (N, r)
        if let dB = b.gradient {
            GEMM.sgemm(transA: true, transB: false, M: OC, N: rank, K: N, alpha: scale,
                       A: dout.data, lda: OC, B: h.data, ldb: rank, beta: 1, C: dB.data, ldc: rank)
        }
        // and dh (N, r) = scale * dout (N, OC) @ B (OC, r)
        let dh = Tensor(shape: [N, rank])
        GEMM.sgemm(transA: false, transB: false, M: N, N: rank, K: OC, alpha: scale,
                   A: dout.data, lda: OC, B: b.value.data, ldb: rank, beta: 0, C: dh.data, ldc: rank)
        // forward: h = u A^T with u = mask * inp / (1 - p); so dA += dh^T u and du = dh A
        let u = try droppedInput(inp, N: N, C: C)
        guard let dinp else {
            try Linear.backward(dinp: nil, dweight: a.gradient, dbias: nil, dout: dh, inp: u, weight: a.value, N: N, C: C, OC: rank)
            return
        }
        if maskSeed == nil {
            try Linear.backward(dinp: dinp, dweight: a.gradient, dbias: nil, dout: dh, inp: u, weight: a.value, N: N, C: C, OC: rank)
        } else {
            // du passes through the mask: dinp += du * u / inp (= mask / (1 - p)), recomputed from the seed
            let du = Tensor(shape: [N, C])
            try Linear.backward(dinp: du, dweight: a.gradient, dbias: nil, dout: dh, inp: u, weight: a.value, N: N, C: C, OC: rank)
            var maskGenerator = SplitMix64(seed: maskSeed!)
            let keepScale = 1 / (1 - dropout)
            for i in 0..<(N * C) where maskGenerator.nextUnitFloat() >= dropout {
                dinp.data[i] += du.data[i] * keepScale
            }
        }
    }

    /// inp itself without a mask, else a new tensor inp * mask / (1 - p) with the mask drawn from maskSeed.
    func droppedInput(_ inp: Tensor, N: Int, C: Int) throws -> Tensor {
        guard let maskSeed else { return inp }
        let u = Tensor(shape: [N, C])
        var maskGenerator = SplitMix64(seed: maskSeed)
        let keepScale = 1 / (1 - dropout)
        for i in 0..<(N * C) {
            u.data[i] = maskGenerator.nextUnitFloat() >= dropout ? inp.data[i] * keepScale : 0
        }
        return u
    }

    /// The adapter's update to the base weight: scale * B A, (OC, C).
    func delta(C: Int, OC: Int) -> Tensor {
        let result = Tensor(shape: [OC, C])
        GEMM.sgemm(transA: false, transB: false, M: OC, N: C, K: rank, alpha: scale,
                   A: b.value.data, lda: rank, B: a.value.data, ldb: C, beta: 0, C: result.data, ldc: C)
        return result
    }
}
