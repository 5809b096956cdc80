// Mixed-precision products: the bfloat16 rounding is nearest-even with NaN and infinity kept, and
// oneDNN's products equal float32 products of the rounded inputs; oneDNN's float32 sgemm agrees
// with the reference loop.
import CRetortKernels
import Testing
@testable import RetortTensor

@Suite struct BFloat16GEMMTests {
    static func bfloat16(_ bits: UInt32) -> UInt16 {
        var x = Float(bitPattern: bits), out: UInt16 = 0
        retort_float_to_bfloat16(&x, &out, 1)
        return out
    }

    @Test func roundingIsNearestWithTiesToEven() {
        #expect(Self.bfloat16(0x3F80_0000) == 0x3F80)  // 1 is exact
        #expect(Self.bfloat16(0x3F80_7FFF) == 0x3F80)  // just below half an ulp: down
        #expect(Self.bfloat16(0x3F80_8001) == 0x3F81)  // just above: up
        #expect(Self.bfloat16(0x3F80_8000) == 0x3F80)  // a tie, kept bit even: down
        #expect(Self.bfloat16(0x3F81_8000) == 0x3F82)  // a tie, kept bit odd: up to even
        #expect(Self.bfloat16(0xBF81_8000) == 0xBF82)  // the sign plays no part
        #expect(Self.bfloat16(0x8000_0000) == 0x8000)  // −0
        #expect(Self.bfloat16(0x0000_8001) == 0x0001)  // a subnormal rounds like any value
        #expect(Self.bfloat16(0x7F7F_FFFF) == 0x7F80)  // the largest float is past the largest bfloat16
        #expect(Self.bfloat16(0x7F80_0000) == 0x7F80)  // +∞
        #expect(Self.bfloat16(0xFF80_0000) == 0xFF80)  // −∞
        #expect(Self.bfloat16(0x7FFF_FFFF) == 0x7FFF)  // a NaN whose rounding would carry stays NaN
        #expect(Self.bfloat16(0x7F80_0001) == 0x7FC0)  // a signalling NaN with low bits only: quiet NaN
    }

    /// x with its float32 bits cut to bfloat16 the way the kernel does, as a float again.
    static func roundedToBFloat16(_ tensor: Tensor) -> Tensor {
        let values = tensor.toArray()
        var half = [UInt16](repeating: 0, count: values.count)
        retort_float_to_bfloat16(values, &half, Int64(values.count))
        return try! Tensor(shape: tensor.shape, values: half.map { Float(bitPattern: UInt32($0) << 16) })
    }

    #if canImport(CDNNL)
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func oneDNNFloat32MatchesReference(transA: Bool, transB: Bool) {
        let M = 33, N = 17, K = 40, pad = 3
        let lda = (transA ? M : K) + pad, ldb = (transB ? K : N) + pad, ldc = N + pad
        let a = randomTensor([transA ? K : M, lda], seed: 1), b = randomTensor([transB ? N : K, ldb], seed: 2)
        let c1 = randomTensor([M, ldc], seed: 3), c2 = c1.copy()
        OneDNNGEMM().sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: 0.5,
                           A: a.data, lda: lda, B: b.data, ldb: ldb, beta: 2, C: c1.data, ldc: ldc)
        ReferenceGEMM().sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: 0.5,
                              A: a.data, lda: lda, B: b.data, ldb: ldb, beta: 2, C: c2.data, ldc: ldc)
        #expect(maxAbsDifference(c1, c2) < 1e-4)
    }
    #endif

    @Test(.enabled(if: GEMM.bfloat16Backend != nil, "this CPU has no AVX512-BF16 or AMX, or the build has no oneDNN"),
          arguments: [(false, false, Float(1), Float(0)), (false, true, 0.5, 0), (true, false, 1, 1), (true, true, 2, -0.5)])
    func bfloat16ProductsAreFloat32ProductsOfRoundedInputs(transA: Bool, transB: Bool, alpha: Float, beta: Float) throws {
        let backend = try #require(GEMM.bfloat16Backend)
        let M = 37, N = 29, K = 300, pad = 5
        let lda = (transA ? M : K) + pad, ldb = (transB ? K : N) + pad, ldc = N + pad
        let a = randomTensor([transA ? K : M, lda], seed: 4), b = randomTensor([transB ? N : K, ldb], seed: 5)
        let c = randomTensor([M, ldc], seed: 6)
        if beta == 0 { c.data.update(repeating: .nan, count: M * ldc) }  // beta 0 ignores C entirely
        let expected = c.copy(), unrounded = c.copy(), result = c.copy()
        let a16 = Self.roundedToBFloat16(a), b16 = Self.roundedToBFloat16(b)
        withExtendedLifetime((a16, b16)) {
            ReferenceGEMM().sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: alpha,
                                  A: a16.data, lda: lda, B: b16.data, ldb: ldb, beta: beta, C: expected.data, ldc: ldc)
        }
        ReferenceGEMM().sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: alpha,
                              A: a.data, lda: lda, B: b.data, ldb: ldb, beta: beta, C: unrounded.data, ldc: ldc)
        backend.sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: alpha,
                      A: a.data, lda: lda, B: b.data, ldb: ldb, beta: beta, C: result.data, ldc: ldc)
        // Only the M × N block is written; compare it (the padding keeps whatever C held).
        func block(_ t: Tensor) -> [Float] { (0..<M).flatMap { i in (0..<N).map { t.data[i * ldc + $0] } } }
        // Sums of 300 products of unit normals are about 17; float32 accumulation in another order
        // differs by about 1e-5 of that, bfloat16 inputs by about 1e-2.
        #expect(maxAbsDifference(block(result), block(expected)) < 2e-4)
        #expect(maxAbsDifference(block(result), block(unrounded)) > 1e-2)
    }

    @Test(.enabled(if: GEMM.bfloat16Backend != nil, "this CPU has no AVX512-BF16 or AMX, or the build has no oneDNN"))
    func precisionScopeRoutesProductsToTheBFloat16Backend() throws {
        let M = 8, N = 8, K = 64
        let a = randomTensor([M, K], seed: 7), b = randomTensor([N, K], seed: 8)
        func product() -> [Float] {
            let c = Tensor(shape: [M, N])
            GEMM.sgemm(transA: false, transB: true, M: M, N: N, K: K, alpha: 1, A: a.data, lda: K, B: b.data, ldb: K,
                       beta: 0, C: c.data, ldc: N)
            return c.toArray()
        }
        let exact = Tensor(shape: [M, N]), rounded = Tensor(shape: [M, N])
        ReferenceGEMM().sgemm(transA: false, transB: true, M: M, N: N, K: K, alpha: 1, A: a.data, lda: K, B: b.data, ldb: K,
                              beta: 0, C: exact.data, ldc: N)
        let a16 = Self.roundedToBFloat16(a), b16 = Self.roundedToBFloat16(b)
        withExtendedLifetime((a16, b16)) {
            ReferenceGEMM().sgemm(transA: false, transB: true, M: M, N: N, K: K, alpha: 1, A: a16.data, lda: K,
                                  B: b16.data, ldb: K, beta: 0, C: rounded.data, ldc: N)
        }
        #expect(maxAbsDifference(product(), exact.toArray()) < 1e-4)
        let mixed = GEMM.$precision.withValue(.bfloat16) { product() }
        #expect(maxAbsDifference(mixed, rounded.toArray()) < 1e-4)
        #expect(maxAbsDifference(mixed, exact.toArray()) > 1e-3)
        #expect(GEMM.precision == .float32)
    }
}
