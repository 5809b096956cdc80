// The vectorized kernels agree with their scalar definitions: fastExp with Foundation's exp, and the
// SIMD row loops (with their scalar tails) with plain loops.
import Foundation
import Testing
@testable import RetortTensor

@Suite struct VectorMathTests {
    @Test func fastExpIsWithinFewUlpOfExp() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            let exact = exp(Double(x))
            worst = max(worst, abs(Double(fastExp(x)) - exact) / exact)
            x += 0.00731
        }
        #expect(worst < 3e-7)
    }

    @Test func fastExpUnderflowsToZeroAndHandlesMinusInfinity() {
        #expect(fastExp(-.infinity) == 0)
        #expect(fastExp(-100) == 0)
        #expect(fastExp(0) == 1)
        #expect(fastExp(1) == Float(M_E))
    }

    @Test func rowKernelsMatchScalarLoopsIncludingTails() {
        for n in [1, 15, 16, 17, 50] {
            let x = randomTensor([n], seed: UInt64(n)), y = randomTensor([n], seed: UInt64(100 + n))
            let xs = x.toArray().map(Double.init), ys = y.toArray().map(Double.init)
            #expect(abs(Double(dot(x.data, y.data, n)) - zip(xs, ys).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-5)
            #expect(maximum(x.data, n) == x.toArray().max()!)
            let sum = sumOfExp(x.data, n, shift: 0.5)
            #expect(abs(Double(sum) - xs.reduce(0) { $0 + exp($1 - 0.5) }) < 1e-5 * Double(n))
            let z = y.copy()
            addScaledExp(z.data, x.data, n, shift: 0.5, scale: 2)
            let expected = zip(xs, ys).map { Float($0.1 + 2 * exp($0.0 - 0.5)) }
            #expect(maxAbsDifference(z.toArray(), expected) < 1e-5)
            let w = y.copy()
            addScaled(w.data, -3, x.data, n)
            #expect(maxAbsDifference(w.toArray(), zip(xs, ys).map { Float($0.1 - 3 * $0.0) }) < 1e-5)
        }
    }

    @Test func largeSwiGLUMatchesScalarFormula() throws {
        let N = 33, H = 257  // odd sizes: vector body, scalar tail, several threads
        let gate = randomTensor([N, H], seed: 1, std: 3), up = randomTensor([N, H], seed: 2)
        let out = Tensor(shape: [N, H])
        try SwiGLU.forward(out: out, gate: gate, up: up, N: N, H: H)
        let expected = zip(gate.toArray(), up.toArray()).map { g, u in Float(Double(g) / (1 + exp(-Double(g))) * Double(u)) }
        #expect(maxAbsDifference(out.toArray(), expected) < 1e-5)
        let dout = randomTensor([N, H], seed: 3), dgate = Tensor(shape: [N, H]), dup = Tensor(shape: [N, H])
        try SwiGLU.backward(dgate: dgate, dup: dup, dout: dout, gate: gate, up: up, N: N, H: H)
        var worst: Float = 0
        for i in 0..<(N * H) {
            let g = Double(gate[i]), s = 1 / (1 + exp(-g))
            worst = max(worst, abs(dgate[i] - Float(Double(dout[i]) * Double(up[i]) * s * (1 + g * (1 - s)))))
            worst = max(worst, abs(dup[i] - Float(Double(dout[i]) * g * s)))
        }
        #expect(worst < 1e-5)
    }
}
