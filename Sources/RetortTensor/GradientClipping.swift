// Clipping by global norm: when the L2 norm of all gradients together exceeds a maximum, every
// gradient is scaled by the same factor so the norm equals it (as torch.nn.utils.clip_grad_norm_).

public enum GradientClipping {
    /// sqrt(Σ over all tensors and elements of g^2), accumulated in double precision.
    public static func globalNorm(_ gradients: [Tensor]) -> Double {
        var total: Double = 0
        let blockSize = 4096
        for gradient in gradients {
            let g = gradient.data, count = gradient.count
            let blocks = (count + blockSize - 1) / blockSize
            var partials = [Double](repeating: 0, count: blocks)
            partials.withUnsafeMutableBufferPointer { partial in
                // Float SIMD within a block, double across blocks: exact enough and vectorized.
                Parallel.forEach(blocks, costPerItem: blockSize) { block in
                    let start = block * blockSize
                    partial[block] = Double(sumOfSquares(g + start, min(blockSize, count - start)))
                }
            }
            total += partials.reduce(0, +)
        }
        return total.squareRoot()
    }

    /// Scales all gradients by maxNorm / (norm + 1e-6) when their global norm exceeds maxNorm.
    /// Returns the norm before clipping (worth logging: spikes show instability).
    @discardableResult
    public static func clipByGlobalNorm(_ gradients: [Tensor], maxNorm: Float) -> Double {
        let norm = globalNorm(gradients)
        guard norm > Double(maxNorm) else { return norm }
        let scale = Float(Double(maxNorm) / (norm + 1e-6))
        for gradient in gradients {
            let g = gradient.data
            Parallel.forEachRange(gradient.count, costPerItem: 1) { range in
                for i in range { g[i] *= scale }
            }
        }
        return norm
    }
}
