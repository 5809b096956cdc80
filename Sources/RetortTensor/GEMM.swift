// The one matrix-multiply interface of the kernel: every matrix product goes through `GEMM.sgemm`,
// whose backend (OpenBLAS, Accelerate, a reference loop; later oneDNN or custom kernels) can be swapped.
import CRetortKernels
#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
#endif

/// A single-precision general matrix multiply on row-major matrices:
/// C (M, N) = alpha * op(A) @ op(B) + beta * C, where op(A) is (M, K) and op(B) is (K, N);
/// op(X) is X or its transpose; lda, ldb, ldc are the row strides of A, B, C as stored.
/// Implementations may use threads internally but are called from one thread at a time.
public protocol GEMMBackend: Sendable {
    var name: String { get }
    func sgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
        A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
        beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int
    )
}

/// What a matrix product's inputs are rounded to: float32 (none), or bfloat16 with float32
/// accumulation and outputs (mixed precision: master weights and every other op stay float32).
public enum MatrixPrecision: String, Sendable, CaseIterable {
    case float32
    case bfloat16 = "bf16"
}

public enum GEMM {
    /// The backend used by every float32 product. Set it once at startup, before any training step runs.
    nonisolated(unsafe) public static var backend: any GEMMBackend = platformDefault

    /// The precision of the products run inside `$precision.withValue(…)` on this thread (worker
    /// threads see float32). bfloat16 goes to `bfloat16Backend`; callers check it exists first.
    @TaskLocal public static var precision: MatrixPrecision = .float32

    /// The backend of bfloat16 products: oneDNN's matmul where the CPU has AVX512-BF16 or AMX,
    /// else nil (emulated bfloat16 would be slower than float32).
    public static let bfloat16Backend: (any GEMMBackend)? = {
        #if canImport(CDNNL)
        return OneDNNBFloat16GEMM.make()
        #else
        return nil
        #endif
    }()

    /// The fastest backend this build links: Accelerate on macOS, OpenBLAS on Linux, else the reference loop.
    public static var platformDefault: any GEMMBackend {
        #if canImport(Accelerate) || canImport(COpenBLAS)
        return CBLASGEMM()
        #else
        return ReferenceGEMM()
        #endif
    }

    /// C (M, N) = alpha * op(A) @ op(B) + beta * C on row-major matrices, through `backend`.
    @inline(__always)
    public static func sgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
        A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
        beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if M == 0 || N == 0 { return }
        let backend = precision == .bfloat16 ? bfloat16Backend ?? backend : backend
        backend.sgemm(
            transA: transA, transB: transB, M: M, N: N, K: K, alpha: alpha,
            A: A, lda: lda, B: B, ldb: ldb, beta: beta, C: C, ldc: ldc)
    }
}

#if canImport(Accelerate) || canImport(COpenBLAS)
/// GEMM through the CBLAS interface: Accelerate on macOS, OpenBLAS on Linux.
public struct CBLASGEMM: GEMMBackend {
    public init() {}

    #if canImport(Accelerate)
    public var name: String { "Accelerate" }
    #else
    public var name: String { "OpenBLAS" }
    #endif

    public func sgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
        A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
        beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        retort_pool_hush()  // the BLAS threads take the cores; spinning pool workers would slow them
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            numericCast(M), numericCast(N), numericCast(K), alpha,
            A, numericCast(lda), B, numericCast(ldb), beta, C, numericCast(ldc))
    }
}
#endif

/// A plain triple loop, parallel over rows of C: the reference the BLAS backends are tested
/// against, and the fallback where no BLAS is linked.
public struct ReferenceGEMM: GEMMBackend {
    public init() {}

    public var name: String { "reference" }

    public func sgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
        A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
        beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        Parallel.forEach(M, costPerItem: N * K) { i in
            for j in 0..<N {
                var sum: Float = 0
                for p in 0..<K {
                    let a = transA ? A[p * lda + i] : A[i * lda + p]
                    let b = transB ? B[j * ldb + p] : B[p * ldb + j]
                    sum += a * b
                }
                // beta == 0 must ignore C entirely (it may hold NaN), as BLAS does.
                C[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * C[i * ldc + j])
            }
        }
    }
}
