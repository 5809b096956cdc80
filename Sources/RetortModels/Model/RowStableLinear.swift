// Linear layers for inference whose every output row depends on its own input row only, bit for
// bit, whatever else is in the batch: a sequence decodes to the same logits alone or beside others,
// and a prompt gives the same cache whether it is run at once or in pieces. BLAS libraries switch
// to other kernels for tiny products (OpenBLAS's small-matrix kernels below 10^6 multiply-adds, GEMV
// for a single row), which sum in another order; giving every product enough rows to stay on the
// general kernel keeps the rows independent. The extra rows are scratch, and cost at most 10^6
// multiply-adds per product.
import RetortTensor

enum RowStableLinear {
    /// Products of up to this many multiply-adds may go to a BLAS's small-matrix kernels.
    static let smallProductLimit = 1_000_000

    /// The rows to multiply when `rows` are wanted: at least 2, and enough that the product has
    /// more than `smallProductLimit` multiply-adds.
    static func paddedRows(_ rows: Int, outFeatures: Int, inFeatures: Int) -> Int {
        max(rows, 2, smallProductLimit / max(1, outFeatures * inFeatures) + 1)
    }

    /// out (rows, OC) = inp (rows, C) @ weight^T + bias, where weight is (OC, C) and bias (OC).
    /// inp and out must have room for paddedRows(rows) rows; the rows past `rows` are scratch.
    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: Tensor, bias: Tensor?,
                        rows: Int, C: Int, OC: Int) {
        let padded = paddedRows(rows, outFeatures: OC, inFeatures: C)
        if let bias {
            // Start from the bias and accumulate the product on it, as Linear.forward does.
            for n in 0..<padded { (out + n * OC).update(from: bias.data, count: OC) }
        }
        GEMM.sgemm(transA: false, transB: true, M: padded, N: OC, K: C, alpha: 1, A: inp, lda: C, B: weight.data, ldb: C,
                   beta: bias == nil ? 0 : 1, C: out, ldc: OC)
    }

    /// out (rows, OC) += scale · (inp A^T) B^T for a LoRA adapter with A (r, C) and B (OC, r), no dropout.
    /// Row by row in plain loops: the products are thin (r is small), and each row's sums keep one order.
    static func addAdapter(_ adapter: LoRAAdapter, out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                           rows: Int, C: Int, OC: Int) {
        let r = adapter.rank, scale = adapter.scale
        let a = UnsafePointer(adapter.a.value.data), b = UnsafePointer(adapter.b.value.data)
        Parallel.forEach(rows, costPerItem: 2 * r * (C + OC)) { n in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: r) { hidden in
                let x = inp + n * C
                for j in 0..<r { hidden[j] = scale * VectorKernels.dot(x, a + j * C, C) }
                let y = out + n * OC
                for o in 0..<OC { y[o] += VectorKernels.dot(UnsafePointer(hidden.baseAddress!), b + o * r, r) }
            }
        }
    }
}
