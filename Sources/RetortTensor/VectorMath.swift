// Vectorized inner loops (SIMD16 over contiguous floats) shared by the ops: dot products, scaled
// adds, reductions and exponentials over one row.
import Foundation

@inline(__always)
func loadVector(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func storeVector(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD16<Float>.self)
}

/// Σ a[i] * b[i] for i in 0..<n.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>.zero
    var i = 0
    while i + 16 <= n {
        acc += loadVector(a + i) * loadVector(b + i)
        i += 16
    }
    var sum = acc.sum()
    while i < n {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// y[i] += alpha * x[i] for i in 0..<n.
@inline(__always)
func addScaled(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float>, _ n: Int) {
    var i = 0
    while i + 16 <= n {
        storeVector(loadVector(y + i) + alpha * loadVector(x + i), y + i)
        i += 16
    }
    while i < n {
        y[i] += alpha * x[i]
        i += 1
    }
}

/// The largest of x[0..<n] (n > 0).
@inline(__always)
func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var result = -Float.infinity
    var i = 0
    if n >= 16 {
        var acc = SIMD16<Float>(repeating: -.infinity)
        while i + 16 <= n {
            // a masked replace compiles to vmaxps; pointwiseMax went element by element through the stack
            let v = loadVector(x + i)
            acc.replace(with: v, where: v .> acc)
            i += 16
        }
        result = acc.max()
    }
    while i < n {
        result = max(result, x[i])
        i += 1
    }
    return result
}

/// Σ x[i]^2 for i in 0..<n.
@inline(__always)
func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Float { dot(x, x, n) }

/// e^x within about 2 ulp of expf: x = n ln2 + r with |r| <= ln2/2, e^r by the Cephes minimax
/// polynomial, 2^n by building the float's exponent bits. Branch-free and call-free, so loops over
/// it vectorize (written on scalars on purpose: the SIMD16 spelling compiled to slower code).
/// Inputs below -87.3 (and -inf) give 0; inputs above 88 saturate at e^88.
@inline(__always)
func fastExp(_ x: Float) -> Float {
    let clamped = min(max(x, -87.3), 88)
    // adding 1.5 * 2^23 rounds x / ln2 to the nearest integer n, which lands in the low mantissa bits
    let shifted = clamped * 1.442_695_04 + 12_582_912
    let n = shifted - 12_582_912
    // r = x - n ln2, with ln2 split in two so n * ln2_hi is exact
    let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * r * r + r + 1
    let integer = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: Float(12_582_912).bitPattern)
    let twoToN = Float(bitPattern: UInt32(bitPattern: (integer &+ 127) &<< 23))
    return x < -87.3 ? 0 : p * twoToN
}

/// Σ x[i] for i in 0..<n, in 16 lanes.
@inline(__always)
func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>.zero
    var i = 0
    while i + 16 <= n {
        acc += loadVector(x + i)
        i += 16
    }
    var total = acc.sum()
    while i < n {
        total += x[i]
        i += 1
    }
    return total
}

/// y[i] = scale * e^(x[i] - shift) for i in 0..<n (y may be x), and returns Σ e^(x[i] - shift).
/// Exponentiates first and sums after: a loop that does both at once does not vectorize.
@discardableResult @inline(__always)
func storeScaledExp(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int,
                    shift: Float, scale: Float) -> Float {
    for i in 0..<n { y[i] = fastExp(x[i] - shift) }
    let total = sum(y, n)
    if scale != 1 {
        for i in 0..<n { y[i] *= scale }
    }
    return total
}

/// y[i] += scale * e^(x[i] - shift) for i in 0..<n.
@inline(__always)
func addScaledExp(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, shift: Float, scale: Float) {
    for i in 0..<n { y[i] += scale * fastExp(x[i] - shift) }
}

/// Σ e^(x[i] - shift) for i in 0..<n, exponentiating blocks into a small scratch buffer and summing
/// them in lanes (so both loops vectorize).
func sumOfExp(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Float {
    let block = 256
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scratch in
        let t = scratch.baseAddress!
        var total: Float = 0
        var start = 0
        while start < n {
            let count = min(block, n - start)
            exponentiate(t, x + start, count, shift: shift)
            total += sum(t, count)
            start += count
        }
        return total
    }
}

/// y[i] = e^(x[i] - shift); kept out of line so the loop is compiled on plain pointers and vectorizes.
@inline(never)
func exponentiate(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, shift: Float) {
    for i in 0..<n { y[i] = fastExp(x[i] - shift) }
}

/// Σ e^(x[i] - shift) with float32 exponentials summed in float64 lanes: the objectives' losses
/// keep about 1e-12 relative accuracy in the sum, so finite differences of the loss stay meaningful.
func sumOfExpInDouble(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Double {
    let block = 256
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scratch in
        let t = scratch.baseAddress!
        var lanes = SIMD8<Double>.zero
        var tail = 0.0
        var start = 0
        while start < n {
            let count = min(block, n - start)
            exponentiate(t, x + start, count, shift: shift)
            var i = 0
            while i + 8 <= count {
                lanes += SIMD8<Double>(UnsafeRawPointer(t + i).loadUnaligned(as: SIMD8<Float>.self))
                i += 8
            }
            while i < count {
                tail += Double(t[i])
                i += 1
            }
            start += count
        }
        return lanes.sum() + tail
    }
}
