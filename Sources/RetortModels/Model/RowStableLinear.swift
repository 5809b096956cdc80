// Linear layers for inference whose every output row depends on its own input row only, bit for
// bit, whatever else is in the batch: a sequence decodes to the same logits alone or beside others,
// and a prompt gives the same cache whether it is run at once or in pieces. BLAS libraries switch
// kernels with the shape (OpenBLAS's small-matrix kernels, GEMV for one row), which sum in another
// order, and sgemm packs the whole weight matrix on every call, which dominates a decode step; the
// products go through RowIndependentProduct instead, whose order depends on the width alone.
import RetortTensor

enum RowStableLinear {
    /// out (rows, OC) = inp (rows, C) @ weight^T + bias, where weight is (OC, C) and bias (OC). Reads
    /// the weight's ggml blocks when it has them (the same bits as its float32 values).
    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: ModelParameter, bias: Tensor?,
                        rows: Int, C: Int, OC: Int) {
        if let bias {
            // Start from the bias and accumulate the product on it, as Linear.forward does.
            for n in 0..<rows { (out + n * OC).update(from: bias.data, count: OC) }
        }
        if let blocks = weight.quantized {
            RowIndependentProduct.multiply(out: out, inp: inp, weight: blocks, rows: rows, accumulate: bias != nil)
        } else {
            RowIndependentProduct.multiply(out: out, inp: inp, weight: weight.value.data, rows: rows, C: C, OC: OC,
                                           accumulate: bias != nil)
        }
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
