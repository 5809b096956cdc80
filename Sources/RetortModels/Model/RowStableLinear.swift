// Linear layers for inference whose every output row depends on its own input row only, bit for
// bit, whatever else is in the batch: a sequence decodes to the same logits alone or beside others,
// and a prompt gives the same cache whether it is run at once or in pieces. BLAS libraries switch
// kernels with the shape (OpenBLAS's small-matrix kernels, GEMV for one row), which sum in another
// order, and sgemm packs the whole weight matrix on every call, which dominates a decode step; the
// products go through RowIndependentProduct instead, whose order depends on the width alone.
import RetortTensor

enum RowStableLinear {
    /// One linear layer of a fused call: out (rows, OC) = inp @ weight^T + bias, weight (OC, C), bias (OC).
    struct Layer {
        let out: UnsafeMutablePointer<Float>
        let weight: ModelParameter
        let bias: Tensor?
        let outFeatures: Int
    }

    /// Runs linear layers that share their input in one parallel pass (a layer's q, k and v). Reads a
    /// weight's ggml blocks when it has them (the same bits as its float32 values).
    static func forward(inp: UnsafePointer<Float>, rows: Int, C: Int, _ layers: [Layer]) {
        for layer in layers {
            // Start from the bias and accumulate the product on it, as Linear.forward does.
            if let bias = layer.bias { for n in 0..<rows { (layer.out + n * layer.outFeatures).update(from: bias.data, count: layer.outFeatures) } }
        }
        RowIndependentProduct.multiply(inp: inp, rows: rows, C: C, products: layers.map { layer in
            let weight: RowIndependentProduct.Weight = layer.weight.quantized.map { .blocks($0) } ?? .dense(UnsafePointer(layer.weight.value.data))
            return RowIndependentProduct.Product(out: layer.out, weight: weight, outFeatures: layer.outFeatures, accumulate: layer.bias != nil)
        })
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
