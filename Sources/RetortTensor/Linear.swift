// The fully connected layer (matmul plus optional bias) as a forward/backward pair; both passes
// are matrix products through the GEMM interface. QKV bias (Qwen2) is this op with a bias.

public enum Linear {
    /// out = inp @ weight^T + bias.
    /// out is (N, OC), inp is (N, C), weight is (OC, C) as in PyTorch's nn.Linear, bias is (OC) or nil.
    /// N is usually B*T: any leading dimensions are flattened into rows.
    public static func forward(
        out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor?, N: Int, C: Int, OC: Int
    ) throws {
        let op = "Linear.forward"
        try expectShape(out, [N, OC], op: op, argument: "out")
        try expectShape(inp, [N, C], op: op, argument: "inp")
        try expectShape(weight, [OC, C], op: op, argument: "weight")
        if let bias { try expectShape(bias, [OC], op: op, argument: "bias") }
        let outp = out.data
        // Start from the bias in every row, then accumulate the product on top of it (beta = 1).
        if let bias {
            let b = bias.data
            Parallel.forEach(N, costPerItem: OC) { n in (outp + n * OC).update(from: b, count: OC) }
        }
        GEMM.sgemm(
            transA: false, transB: true, M: N, N: OC, K: C, alpha: 1,
            A: inp.data, lda: C, B: weight.data, ldb: C, beta: bias == nil ? 0 : 1, C: outp, ldc: OC)
    }

    /// Backward of `forward`; each gradient is optional so frozen weights (LoRA bases) or the first
    /// layer's input can skip their product. Gradients accumulate (+=).
    /// dinp is (N, C), dweight is (OC, C), dbias is (OC), dout is (N, OC), inp is (N, C), weight is (OC, C).
    public static func backward(
        dinp: Tensor?, dweight: Tensor?, dbias: Tensor?,
        dout: Tensor, inp: Tensor, weight: Tensor, N: Int, C: Int, OC: Int
    ) throws {
        let op = "Linear.backward"
        try expectShape(dout, [N, OC], op: op, argument: "dout")
        try expectShape(inp, [N, C], op: op, argument: "inp")
        try expectShape(weight, [OC, C], op: op, argument: "weight")
        if let dinp { try expectShape(dinp, [N, C], op: op, argument: "dinp") }
        if let dweight { try expectShape(dweight, [OC, C], op: op, argument: "dweight") }
        if let dbias { try expectShape(dbias, [OC], op: op, argument: "dbias") }
        // forward: out[n, o] = Σ_c inp[n, c] * weight[o, c] + bias[o]
        // so dinp[n, c] += Σ_o dout[n, o] * weight[o, c], i.e. dinp (N, C) += dout (N, OC) @ weight (OC, C)
        if let dinp {
            GEMM.sgemm(
                transA: false, transB: false, M: N, N: C, K: OC, alpha: 1,
                A: dout.data, lda: OC, B: weight.data, ldb: C, beta: 1, C: dinp.data, ldc: C)
        }
        // and dweight[o, c] += Σ_n dout[n, o] * inp[n, c], i.e. dweight (OC, C) += dout^T (OC, N) @ inp (N, C)
        if let dweight {
            GEMM.sgemm(
                transA: true, transB: false, M: OC, N: C, K: N, alpha: 1,
                A: dout.data, lda: OC, B: inp.data, ldb: C, beta: 1, C: dweight.data, ldc: C)
        }
        // and dbias[o] += Σ_n dout[n, o]; parallel over blocks of output channels so no two threads
        // write the same dbias element, each walking down all rows.
        if let dbias {
            let db = dbias.data, doutp = dout.data
            Parallel.forEachRange(OC, costPerItem: N) { block in
                for n in 0..<N {
                    let row = doutp + n * OC
                    for o in block { db[o] += row[o] }
                }
            }
        }
    }
}
