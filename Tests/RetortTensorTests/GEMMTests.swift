// The platform GEMM backend agrees with the reference loop for every transpose combination,
// leading dimension and alpha/beta, and the backend can be swapped.
import Testing
@testable import RetortTensor

@Suite struct GEMMTests {
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func platformBackendMatchesReference(transA: Bool, transB: Bool) {
        let M = 7, N = 5, K = 9, pad = 3
        // Stored shapes: A is (M, K) or (K, M), B is (K, N) or (N, K), each row padded by `pad`.
        let aRows = transA ? K : M, aCols = transA ? M : K
        let bRows = transB ? N : K, bCols = transB ? K : N
        let lda = aCols + pad, ldb = bCols + pad, ldc = N + pad
        let a = randomTensor([aRows, lda], seed: 1), b = randomTensor([bRows, ldb], seed: 2)
        let c1 = randomTensor([M, ldc], seed: 3), c2 = c1.copy()
        GEMM.backend.sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: 0.5,
                           A: a.data, lda: lda, B: b.data, ldb: ldb, beta: 2, C: c1.data, ldc: ldc)
        ReferenceGEMM().sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: 0.5,
                              A: a.data, lda: lda, B: b.data, ldb: ldb, beta: 2, C: c2.data, ldc: ldc)
        #expect(maxAbsDifference(c1, c2) < 1e-4)
    }

    @Test func referenceComputesHandWorkedProduct() throws {
        // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        let a = try Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let b = try Tensor(shape: [2, 2], values: [5, 6, 7, 8])
        let c = try Tensor(shape: [2, 2], values: [.nan, .nan, .nan, .nan])  // beta = 0 ignores C
        ReferenceGEMM().sgemm(transA: false, transB: false, M: 2, N: 2, K: 2, alpha: 1,
                              A: a.data, lda: 2, B: b.data, ldb: 2, beta: 0, C: c.data, ldc: 2)
        #expect(c.toArray() == [19, 22, 43, 50])
    }

    #if canImport(COpenBLAS) || canImport(Accelerate)
    @Test func platformDefaultIsTheSystemBLAS() {
        #expect(GEMM.platformDefault.name != ReferenceGEMM().name)
    }
    #endif
}
