// Small SIMD loops of the inference path (attention over a KV cache, LoRA rows): a dot product and
// an axpy in 16 lanes. Each always sums in the same order for a given length, which keeps a row's
// result independent of the batch it is computed in.

enum VectorKernels {
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// Σ a[i] b[i] for i in 0..<n.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>.zero
        var i = 0
        while i + 16 <= n {
            acc += load(a + i) * load(b + i)
            i += 16
        }
        var total = acc.sum()
        while i < n {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }

    /// y[i] += alpha x[i] for i in 0..<n.
    @inline(__always)
    static func addScaled(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float>, _ n: Int) {
        var i = 0
        while i + 16 <= n {
            let sum = load(UnsafePointer(y + i)) + alpha * load(x + i)
            UnsafeMutableRawPointer(y + i).storeBytes(of: sum, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }
}
