// oneDNN (Debian's libdnnl-dev) as GEMM backends: float32 through its sgemm, and the mixed-precision
// products (bfloat16 inputs, float32 accumulation and outputs) through its matmul primitive, which
// runs on AVX512-BF16 or AMX. Both take the row-major arguments of `GEMMBackend`.
#if canImport(CDNNL)
import CDNNL
import CRetortKernels
import Foundation

/// float32 products through oneDNN's `dnnl_sgemm`.
public struct OneDNNGEMM: GEMMBackend {
    public init() {}

    public var name: String { "oneDNN" }

    public func sgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
        A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
        beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        retort_pool_hush()  // oneDNN's OpenMP threads take the cores
        let status = dnnl_sgemm(CChar(UInt8(ascii: transA ? "T" : "N")), CChar(UInt8(ascii: transB ? "T" : "N")),
                                dnnl_dim_t(M), dnnl_dim_t(N), dnnl_dim_t(K), alpha, A, dnnl_dim_t(lda), B, dnnl_dim_t(ldb),
                                beta, C, dnnl_dim_t(ldc))
        precondition(status == dnnl_success, "dnnl_sgemm(\(M)×\(N)×\(K), lda \(lda), ldb \(ldb), ldc \(ldc)) failed with status \(status.rawValue)")
    }
}

/// C = alpha · op(A) op(B) + beta · C with A and B rounded to bfloat16 (nearest, ties to even) and
/// every product accumulated in float32: the matrix products of mixed-precision training. Matmul
/// primitives are built once per shape and kept.
public final class OneDNNBFloat16GEMM: GEMMBackend, @unchecked Sendable {
    public var name: String { "oneDNN bf16 (\(isaName))" }

    private let engine: dnnl_engine_t
    private let stream: dnnl_stream_t
    private let isaName: String
    private struct Shape: Hashable {
        let transA: Bool, transB: Bool, M: Int, N: Int, K: Int, lda: Int, ldb: Int, ldc: Int, alpha: Float, beta: Float
    }
    private struct Primitive {
        let primitive: dnnl_primitive_t
        var a: dnnl_memory_desc_t, b: dnnl_memory_desc_t, c: dnnl_memory_desc_t
    }
    private var primitives: [Shape: Primitive] = [:]
    private let scratchA = BFloat16Scratch(), scratchB = BFloat16Scratch()
    private let lock = NSLock()

    /// The backend, or nil when this CPU has no native bfloat16 products (AVX512-BF16 or AMX):
    /// oneDNN would emulate them, slower than float32.
    public static func make() -> OneDNNBFloat16GEMM? {
        let isa = dnnl_get_effective_cpu_isa().rawValue
        let bf16 = dnnl_cpu_isa_avx512_core_bf16.rawValue, amx = dnnl_cpu_isa_avx512_core_amx.rawValue
        guard isa & bf16 == bf16 else { return nil }
        var engine: dnnl_engine_t?, stream: dnnl_stream_t?
        guard dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success, let engine else { return nil }
        guard dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue) == dnnl_success, let stream else {
            dnnl_engine_destroy(engine)
            return nil
        }
        return OneDNNBFloat16GEMM(engine: engine, stream: stream, isaName: isa & amx == amx ? "AMX" : "AVX512-BF16")
    }

    private init(engine: dnnl_engine_t, stream: dnnl_stream_t, isaName: String) {
        (self.engine, self.stream, self.isaName) = (engine, stream, isaName)
    }

    deinit {
        for entry in primitives.values { dnnl_primitive_destroy(entry.primitive) }
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    public func sgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
        A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
        beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        lock.lock()
        defer { lock.unlock() }
        if K == 0 {
            // an empty sum: C = beta · C (beta == 0 ignores C, which may hold NaN)
            for i in 0..<M { for j in 0..<N { C[i * ldc + j] = beta == 0 ? 0 : beta * C[i * ldc + j] } }
            return
        }
        // op(A) is (M, K): stored (M, K) with row stride lda, or (K, M) when transposed; likewise B.
        let a16 = scratchA.rounded(A, rows: transA ? K : M, columns: transA ? M : K, stride: lda)
        let b16 = scratchB.rounded(B, rows: transB ? N : K, columns: transB ? K : N, stride: ldb)
        let shape = Shape(transA: transA, transB: transB, M: M, N: N, K: K, lda: lda, ldb: ldb, ldc: ldc, alpha: alpha, beta: beta)
        var entry = primitive(for: shape)
        var memories: [dnnl_memory_t?] = [nil, nil, nil]
        precondition(dnnl_memory_create(&memories[0], &entry.a, engine, UnsafeMutableRawPointer(a16)) == dnnl_success
            && dnnl_memory_create(&memories[1], &entry.b, engine, UnsafeMutableRawPointer(b16)) == dnnl_success
            && dnnl_memory_create(&memories[2], &entry.c, engine, UnsafeMutableRawPointer(C)) == dnnl_success,
            "oneDNN could not wrap the buffers of a \(M)×\(N)×\(K) bf16 product")
        defer { for memory in memories { dnnl_memory_destroy(memory) } }
        let arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: memories[0]),
                         dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: memories[1]),
                         dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: memories[2])]
        retort_pool_hush()
        let status = dnnl_primitive_execute(entry.primitive, stream, Int32(arguments.count), arguments)
        precondition(status == dnnl_success && dnnl_stream_wait(stream) == dnnl_success,
                     "oneDNN's bf16 matmul \(M)×\(N)×\(K) failed with status \(status.rawValue)")
    }

    /// The matmul for `shape`, built on first use: strided bf16 sources, a float32 destination,
    /// alpha as the output scale and beta as a sum post-op.
    private func primitive(for shape: Shape) -> Primitive {
        if let entry = primitives[shape] { return entry }
        if primitives.count >= 512 {  // many distinct shapes (varying sequence lengths): start over
            for entry in primitives.values { dnnl_primitive_destroy(entry.primitive) }
            primitives.removeAll()
        }
        let (M, N, K) = (shape.M, shape.N, shape.K)
        var a = dnnl_memory_desc_t(), b = dnnl_memory_desc_t(), c = dnnl_memory_desc_t()
        var dimsA: [dnnl_dim_t] = [dnnl_dim_t(M), dnnl_dim_t(K)], dimsB: [dnnl_dim_t] = [dnnl_dim_t(K), dnnl_dim_t(N)]
        var dimsC: [dnnl_dim_t] = [dnnl_dim_t(M), dnnl_dim_t(N)]
        var stridesA: [dnnl_dim_t] = shape.transA ? [1, dnnl_dim_t(shape.lda)] : [dnnl_dim_t(shape.lda), 1]
        var stridesB: [dnnl_dim_t] = shape.transB ? [1, dnnl_dim_t(shape.ldb)] : [dnnl_dim_t(shape.ldb), 1]
        var stridesC: [dnnl_dim_t] = [dnnl_dim_t(shape.ldc), 1]
        var ok = dnnl_memory_desc_init_by_strides(&a, 2, &dimsA, dnnl_bf16, &stridesA) == dnnl_success
        ok = ok && dnnl_memory_desc_init_by_strides(&b, 2, &dimsB, dnnl_bf16, &stridesB) == dnnl_success
        ok = ok && dnnl_memory_desc_init_by_strides(&c, 2, &dimsC, dnnl_f32, &stridesC) == dnnl_success
        var descriptor = dnnl_matmul_desc_t()
        ok = ok && dnnl_matmul_desc_init(&descriptor, &a, &b, nil, &c) == dnnl_success
        var attributes: dnnl_primitive_attr_t?
        ok = ok && dnnl_primitive_attr_create(&attributes) == dnnl_success
        defer { dnnl_primitive_attr_destroy(attributes) }
        if ok, shape.alpha != 1 {
            var alpha = shape.alpha
            ok = dnnl_primitive_attr_set_output_scales(attributes, 1, 0, &alpha) == dnnl_success
        }
        if ok, shape.beta != 0 {
            var postOps: dnnl_post_ops_t?
            ok = dnnl_post_ops_create(&postOps) == dnnl_success
            ok = ok && dnnl_post_ops_append_sum(postOps, shape.beta) == dnnl_success
            ok = ok && dnnl_primitive_attr_set_post_ops(attributes, postOps) == dnnl_success
            dnnl_post_ops_destroy(postOps)
        }
        var descriptorInfo: dnnl_primitive_desc_t?, primitive: dnnl_primitive_t?
        ok = ok && dnnl_primitive_desc_create(&descriptorInfo, &descriptor, attributes, engine, nil) == dnnl_success
        ok = ok && dnnl_primitive_create(&primitive, descriptorInfo) == dnnl_success
        dnnl_primitive_desc_destroy(descriptorInfo)
        guard ok, let primitive else {
            preconditionFailure("oneDNN has no bf16 matmul for \(M)×\(N)×\(K) (transA \(shape.transA), transB \(shape.transB), lda \(shape.lda), ldb \(shape.ldb), ldc \(shape.ldc))")
        }
        let entry = Primitive(primitive: primitive, a: a, b: b, c: c)
        primitives[shape] = entry
        return entry
    }
}

/// A growable bfloat16 buffer that receives a strided float32 matrix rounded to bfloat16, keeping
/// its strides (the rows' unused tails are left as they are).
final class BFloat16Scratch {
    private var buffer: UnsafeMutablePointer<UInt16>?
    private var capacity = 0

    deinit { buffer?.deallocate() }

    func rounded(_ x: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int) -> UnsafeMutablePointer<UInt16> {
        let count = (rows - 1) * stride + columns
        if count > capacity {
            buffer?.deallocate()
            capacity = count
            buffer = UnsafeMutablePointer<UInt16>.allocate(capacity: count)
        }
        let out = buffer!
        if stride == columns {
            Parallel.forEachRange(count, costPerItem: 4) { range in
                retort_float_to_bfloat16(x + range.lowerBound, out + range.lowerBound, Int64(range.count))
            }
        } else {
            Parallel.forEach(rows, costPerItem: 4 * columns) { row in
                retort_float_to_bfloat16(x + row * stride, out + row * stride, Int64(columns))
            }
        }
        return out
    }
}
#endif
