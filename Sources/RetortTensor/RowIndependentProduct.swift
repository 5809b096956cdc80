// Rows times a transposed weight matrix for inference, through the C kernel of CRetortKernels: each
// output is summed in an order fixed by the width alone, so a row's result is the same bit for bit
// whatever else is in the batch, and the weights stream once per call (no packing, unlike sgemm),
// which is what a decode step of a few rows needs. Split across cores by output columns.
import CRetortKernels

public enum RowIndependentProduct {
    /// out (rows, OC) = inp (rows, C) @ weight^T, or += when `accumulate`; weight is (OC, C) row-major.
    public static func multiply(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                rows: Int, C: Int, OC: Int, accumulate: Bool) {
        multiply(inp: inp, rows: rows, C: C,
                 products: [Product(out: out, weight: .dense(weight), outFeatures: OC, accumulate: accumulate)])
    }

    /// Whether the kernel runs its AVX-512 path on this CPU.
    public static var usesAVX512: Bool { retort_kernels_use_avx512() != 0 }

    /// Makes every kernel take its portable path (true) or choose by CPU again (false). Both paths give
    /// the same bits, so other threads' results do not change; tests use it to compare them.
    public static func forcePortable(_ on: Bool) { retort_kernels_force_portable(on ? 1 : 0) }
}
