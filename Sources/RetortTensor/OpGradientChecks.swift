// One named gradient check per op on small random shapes, for the tests and for
// `retort check gradients`, which prints each item's worst relative error against its tolerance.

/// A named, callable gradient check: `run` returns the worst relative error between the op's
/// backward and central differences, which should stay below `tolerance`.
public struct GradientCheckItem: Sendable {
    public let name: String
    public let tolerance: Double
    public let run: @Sendable () throws -> Double

    public init(name: String, tolerance: Double, run: @escaping @Sendable () throws -> Double) {
        self.name = name
        self.tolerance = tolerance
        self.run = run
    }
}

public enum OpGradientChecks {
    /// Tolerances: float32 forward passes with h = 1e-2 give errors near 1e-4 for these shapes;
    /// 1e-2 leaves a margin while a wrong term (a missing factor, a dropped sum) still gives O(1).
    public static let all: [GradientCheckItem] = [
        GradientCheckItem(name: "linear (with bias)", tolerance: 1e-2) { try linear(withBias: true) },
        GradientCheckItem(name: "linear (no bias)", tolerance: 1e-2) { try linear(withBias: false) },
        GradientCheckItem(name: "embedding", tolerance: 1e-2) { try embedding() },
        GradientCheckItem(name: "rmsnorm", tolerance: 1e-2) { try rmsNorm() },
        GradientCheckItem(name: "rope (partial rotary)", tolerance: 1e-2) { try rope() },
        GradientCheckItem(name: "attention (causal MHA)", tolerance: 1e-2) { try attention(packedAndPadded: false) },
        GradientCheckItem(name: "attention (GQA, packed, padded)", tolerance: 1e-2) { try attention(packedAndPadded: true) },
        GradientCheckItem(name: "swiglu", tolerance: 1e-2) { try swiGLU() },
        GradientCheckItem(name: "residual", tolerance: 1e-2) { try residual() },
        GradientCheckItem(name: "softmax", tolerance: 1e-2) { try softmax() },
        GradientCheckItem(name: "log-softmax", tolerance: 1e-2) { try logSoftmax() },
        GradientCheckItem(name: "cross-entropy (with ignored targets)", tolerance: 1e-2) { try crossEntropy() },
    ]

    /// Random weights w for the loss Σ w · out, which are also the dout passed to backward.
    static func projectionWeights(like out: Tensor, _ rng: inout SplitMix64) -> Tensor {
        Tensor.uniform(shape: out.shape, in: -1...1, generator: &rng)
    }

    public static func linear(withBias: Bool) throws -> Double {
        let N = 5, C = 7, OC = 6
        var rng = SplitMix64(seed: 11)
        let inp = Tensor.normal(shape: [N, C], std: 1, generator: &rng)
        let weight = Tensor.normal(shape: [OC, C], std: 0.5, generator: &rng)
        let bias = withBias ? Tensor.normal(shape: [OC], std: 0.5, generator: &rng) : nil
        let out = Tensor(shape: [N, OC])
        let w = projectionWeights(like: out, &rng)
        let dinp = Tensor(shape: [N, C]), dweight = Tensor(shape: [OC, C]), dbias = Tensor(shape: [OC])
        try Linear.forward(out: out, inp: inp, weight: weight, bias: bias, N: N, C: C, OC: OC)
        try Linear.backward(dinp: dinp, dweight: dweight, dbias: bias == nil ? nil : dbias,
                            dout: w, inp: inp, weight: weight, N: N, C: C, OC: OC)
        let inputs = [inp, weight] + (bias.map { [$0] } ?? [])
        let grads = [dinp, dweight] + (bias == nil ? [] : [dbias])
        return try GradientCheck.compare(inputs: inputs, analyticGradients: grads) {
            try Linear.forward(out: out, inp: inp, weight: weight, bias: bias, N: N, C: C, OC: OC)
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func embedding() throws -> Double {
        let N = 6, V = 5, C = 4
        let tokens: [Int32] = [1, 3, 1, 0, 4, 1]  // repeats exercise the scatter-add
        var rng = SplitMix64(seed: 12)
        let table = Tensor.normal(shape: [V, C], std: 1, generator: &rng)
        let out = Tensor(shape: [N, C])
        let w = projectionWeights(like: out, &rng)
        let dtable = Tensor(shape: [V, C])
        try Embedding.forward(out: out, tokens: tokens, table: table, N: N, V: V, C: C)
        try Embedding.backward(dtable: dtable, dout: w, tokens: tokens, N: N, V: V, C: C)
        return try GradientCheck.compare(inputs: [table], analyticGradients: [dtable]) {
            try Embedding.forward(out: out, tokens: tokens, table: table, N: N, V: V, C: C)
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func rmsNorm() throws -> Double {
        let N = 4, C = 8
        var rng = SplitMix64(seed: 13)
        let inp = Tensor.normal(shape: [N, C], std: 1, generator: &rng)
        let weight = Tensor.uniform(shape: [C], in: 0.5...1.5, generator: &rng)
        let out = Tensor(shape: [N, C]), rstd = Tensor(shape: [N])
        let w = projectionWeights(like: out, &rng)
        let dinp = Tensor(shape: [N, C]), dweight = Tensor(shape: [C])
        try RMSNorm.forward(out: out, rstd: rstd, inp: inp, weight: weight, eps: 1e-5, N: N, C: C)
        try RMSNorm.backward(dinp: dinp, dweight: dweight, dout: w, inp: inp, weight: weight, rstd: rstd, N: N, C: C)
        return try GradientCheck.compare(inputs: [inp, weight], analyticGradients: [dinp, dweight]) {
            try RMSNorm.forward(out: out, rstd: rstd, inp: inp, weight: weight, eps: 1e-5, N: N, C: C)
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func rope() throws -> Double {
        let N = 5, nHeads = 2, headDim = 8, rotaryDim = 4
        let positions: [Int32] = [0, 1, 2, 0, 1]  // a packed batch restarts positions
        var rng = SplitMix64(seed: 14)
        let inp = Tensor.normal(shape: [N, nHeads, headDim], std: 1, generator: &rng)
        let out = Tensor(shape: [N, nHeads, headDim])
        let w = projectionWeights(like: out, &rng)
        let dinp = Tensor(shape: [N, nHeads, headDim])
        func run() throws {
            try RoPE.forward(out: out, inp: inp, positions: positions, N: N, nHeads: nHeads,
                             headDim: headDim, rotaryDim: rotaryDim, theta: 10_000)
        }
        try run()
        try RoPE.backward(dinp: dinp, dout: w, positions: positions, N: N, nHeads: nHeads,
                          headDim: headDim, rotaryDim: rotaryDim, theta: 10_000)
        return try GradientCheck.compare(inputs: [inp], analyticGradients: [dinp]) {
            try run()
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func attention(packedAndPadded: Bool) throws -> Double {
        let B = 2, T = 5, headDim = 4
        let nHeads = packedAndPadded ? 4 : 2, nKVHeads = packedAndPadded ? 2 : 2
        // Row 0 packs two sequences; row 1 has one sequence and two padding tokens.
        let segments: [Int32]? = packedAndPadded ? [0, 0, 1, 1, 1, 2, 2, 2, -1, -1] : nil
        var rng = SplitMix64(seed: 15)
        let q = Tensor.normal(shape: [B, T, nHeads, headDim], std: 1, generator: &rng)
        let k = Tensor.normal(shape: [B, T, nKVHeads, headDim], std: 1, generator: &rng)
        let v = Tensor.normal(shape: [B, T, nKVHeads, headDim], std: 1, generator: &rng)
        let out = Tensor(shape: [B, T, nHeads, headDim]), lse = Tensor(shape: [B, nHeads, T])
        let w = projectionWeights(like: out, &rng)
        let dq = Tensor(shape: q.shape), dk = Tensor(shape: k.shape), dv = Tensor(shape: v.shape)
        func run() throws {
            try Attention.forward(out: out, logSumExp: lse, q: q, k: k, v: v, segments: segments,
                                  B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        }
        try run()
        try Attention.backward(dq: dq, dk: dk, dv: dv, dout: w, q: q, k: k, v: v, out: out, logSumExp: lse,
                               segments: segments, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        return try GradientCheck.compare(inputs: [q, k, v], analyticGradients: [dq, dk, dv]) {
            try run()
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func swiGLU() throws -> Double {
        let N = 3, H = 6
        var rng = SplitMix64(seed: 16)
        let gate = Tensor.normal(shape: [N, H], std: 1.5, generator: &rng)
        let up = Tensor.normal(shape: [N, H], std: 1, generator: &rng)
        let out = Tensor(shape: [N, H])
        let w = projectionWeights(like: out, &rng)
        let dgate = Tensor(shape: [N, H]), dup = Tensor(shape: [N, H])
        try SwiGLU.forward(out: out, gate: gate, up: up, N: N, H: H)
        try SwiGLU.backward(dgate: dgate, dup: dup, dout: w, gate: gate, up: up, N: N, H: H)
        return try GradientCheck.compare(inputs: [gate, up], analyticGradients: [dgate, dup]) {
            try SwiGLU.forward(out: out, gate: gate, up: up, N: N, H: H)
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func residual() throws -> Double {
        let N = 10
        var rng = SplitMix64(seed: 17)
        let a = Tensor.normal(shape: [N], std: 1, generator: &rng)
        let b = Tensor.normal(shape: [N], std: 1, generator: &rng)
        let out = Tensor(shape: [N])
        let w = projectionWeights(like: out, &rng)
        let da = Tensor(shape: [N]), db = Tensor(shape: [N])
        try Residual.forward(out: out, a: a, b: b, N: N)
        try Residual.backward(da: da, db: db, dout: w, N: N)
        return try GradientCheck.compare(inputs: [a, b], analyticGradients: [da, db]) {
            try Residual.forward(out: out, a: a, b: b, N: N)
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func softmax() throws -> Double {
        let N = 3, V = 7
        var rng = SplitMix64(seed: 18)
        let inp = Tensor.normal(shape: [N, V], std: 2, generator: &rng)
        let out = Tensor(shape: [N, V])
        let w = projectionWeights(like: out, &rng)
        let dinp = Tensor(shape: [N, V])
        try Softmax.forward(out: out, inp: inp, N: N, V: V)
        try Softmax.backward(dinp: dinp, dout: w, out: out, N: N, V: V)
        return try GradientCheck.compare(inputs: [inp], analyticGradients: [dinp]) {
            try Softmax.forward(out: out, inp: inp, N: N, V: V)
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func logSoftmax() throws -> Double {
        let N = 3, V = 7
        var rng = SplitMix64(seed: 19)
        let inp = Tensor.normal(shape: [N, V], std: 2, generator: &rng)
        let out = Tensor(shape: [N, V])
        let w = projectionWeights(like: out, &rng)
        let dinp = Tensor(shape: [N, V])
        try LogSoftmax.forward(out: out, inp: inp, N: N, V: V)
        try LogSoftmax.backward(dinp: dinp, dout: w, out: out, N: N, V: V)
        return try GradientCheck.compare(inputs: [inp], analyticGradients: [dinp]) {
            try LogSoftmax.forward(out: out, inp: inp, N: N, V: V)
            return GradientCheck.projection(out, w)
        }.worstRelativeError
    }

    public static func crossEntropy() throws -> Double {
        let N = 5, V = 6
        let targets: [Int32] = [2, CrossEntropy.ignoreIndex, 0, 5, CrossEntropy.ignoreIndex]
        var rng = SplitMix64(seed: 20)
        let logits = Tensor.normal(shape: [N, V], std: 2, generator: &rng)
        let dlogits = Tensor(shape: [N, V])
        _ = try CrossEntropy.meanLoss(dlogits: dlogits, logits: logits, targets: targets, N: N, V: V)
        return try GradientCheck.compare(inputs: [logits], analyticGradients: [dlogits]) {
            try CrossEntropy.meanLoss(dlogits: nil, logits: logits, targets: targets, N: N, V: V)
        }.worstRelativeError
    }
}
