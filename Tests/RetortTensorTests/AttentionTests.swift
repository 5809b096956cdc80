// Attention against a naive double-precision reference, and its structural promises: grouped
// query heads equal repeated KV heads, packed segments equal separate runs, padding is inert.
import Foundation
import Testing
@testable import RetortTensor

/// Textbook attention in double precision: for each query, softmax over the visible keys.
func naiveAttention(q: Tensor, k: Tensor, v: Tensor, segments: [Int32]?, B: Int, T: Int,
                    nHeads: Int, nKVHeads: Int, headDim: Int) -> [Float] {
    var out = [Float](repeating: 0, count: B * T * nHeads * headDim)
    let scale = 1 / Double(headDim).squareRoot()
    for b in 0..<B {
        for h in 0..<nHeads {
            let kvh = h / (nHeads / nKVHeads)
            for t in 0..<T {
                let segment = segments?[b * T + t] ?? 0
                if segment < 0 { continue }
                var scores: [(Int, Double)] = []
                for s in 0...t where (segments?[b * T + s] ?? 0) == segment {
                    var d = 0.0
                    for i in 0..<headDim {
                        d += Double(q[((b * T + t) * nHeads + h) * headDim + i]) * Double(k[((b * T + s) * nKVHeads + kvh) * headDim + i])
                    }
                    scores.append((s, d * scale))
                }
                let top = scores.map(\.1).max()!
                let total = scores.reduce(0) { $0 + exp($1.1 - top) }
                for i in 0..<headDim {
                    var sum = 0.0
                    for (s, score) in scores {
                        sum += exp(score - top) / total * Double(v[((b * T + s) * nKVHeads + kvh) * headDim + i])
                    }
                    out[((b * T + t) * nHeads + h) * headDim + i] = Float(sum)
                }
            }
        }
    }
    return out
}

/// Runs forward and backward with dout and returns (out, dq, dk, dv).
func runAttention(q: Tensor, k: Tensor, v: Tensor, dout: Tensor, segments: [Int32]?, B: Int, T: Int,
                  nHeads: Int, nKVHeads: Int, headDim: Int) throws -> (Tensor, Tensor, Tensor, Tensor) {
    let out = Tensor(shape: [B, T, nHeads, headDim]), lse = Tensor(shape: [B, nHeads, T])
    try Attention.forward(out: out, logSumExp: lse, q: q, k: k, v: v, segments: segments,
                          B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
    let dq = Tensor(shape: q.shape), dk = Tensor(shape: k.shape), dv = Tensor(shape: v.shape)
    try Attention.backward(dq: dq, dk: dk, dv: dv, dout: dout, q: q, k: k, v: v, out: out, logSumExp: lse,
                           segments: segments, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
    return (out, dq, dk, dv)
}

@Suite struct AttentionTests {
    @Test(arguments: [(2, 6, 4, 2, 8), (1, 48, 4, 1, 32), (3, 33, 6, 3, 20)])
    func forwardMatchesNaiveReference(B: Int, T: Int, nHeads: Int, nKVHeads: Int, headDim: Int) throws {
        let q = randomTensor([B, T, nHeads, headDim], seed: 1)
        let k = randomTensor([B, T, nKVHeads, headDim], seed: 2)
        let v = randomTensor([B, T, nKVHeads, headDim], seed: 3)
        // first row packs two sequences and ends in padding; the others are single sequences
        var segments = [Int32](repeating: 0, count: B * T)
        for t in (T / 2)..<T { segments[t] = 1 }
        segments[T - 1] = -1
        for row in 1..<B { for t in 0..<T { segments[row * T + t] = Int32(row + 1) } }
        for segs in [nil, segments] {
            let out = Tensor(shape: q.shape), lse = Tensor(shape: [B, nHeads, T])
            try Attention.forward(out: out, logSumExp: lse, q: q, k: k, v: v, segments: segs,
                                  B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
            let expected = naiveAttention(q: q, k: k, v: v, segments: segs, B: B, T: T,
                                          nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
            #expect(maxAbsDifference(out.toArray(), expected) < 1e-5)
        }
    }

    @Test func groupedQueryEqualsMultiHeadWithRepeatedKVHeads() throws {
        let B = 2, T = 20, nHeads = 6, nKVHeads = 2, headDim = 8, group = nHeads / nKVHeads
        let q = randomTensor([B, T, nHeads, headDim], seed: 4)
        let k = randomTensor([B, T, nKVHeads, headDim], seed: 5)
        let v = randomTensor([B, T, nKVHeads, headDim], seed: 6)
        let dout = randomTensor([B, T, nHeads, headDim], seed: 7)
        // repeat each KV head `group` times, as HF's repeat_kv does
        func repeated(_ x: Tensor) -> Tensor {
            let r = Tensor(shape: [B, T, nHeads, headDim])
            for row in 0..<(B * T) {
                for h in 0..<nHeads {
                    for i in 0..<headDim {
                        r[(row * nHeads + h) * headDim + i] = x[(row * nKVHeads + h / group) * headDim + i]
                    }
                }
            }
            return r
        }
        let gqa = try runAttention(q: q, k: k, v: v, dout: dout, segments: nil, B: B, T: T,
                                   nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        let mha = try runAttention(q: q, k: repeated(k), v: repeated(v), dout: dout, segments: nil, B: B, T: T,
                                   nHeads: nHeads, nKVHeads: nHeads, headDim: headDim)
        #expect(maxAbsDifference(gqa.0, mha.0) < 1e-6)
        #expect(maxAbsDifference(gqa.1, mha.1) < 1e-5)
        // a shared KV head's gradient is the sum over the query heads of its group
        func summed(_ d: Tensor) -> [Float] {
            var r = [Float](repeating: 0, count: B * T * nKVHeads * headDim)
            for row in 0..<(B * T) {
                for h in 0..<nHeads {
                    for i in 0..<headDim { r[(row * nKVHeads + h / group) * headDim + i] += d[(row * nHeads + h) * headDim + i] }
                }
            }
            return r
        }
        #expect(maxAbsDifference(gqa.2.toArray(), summed(mha.2)) < 1e-5)
        #expect(maxAbsDifference(gqa.3.toArray(), summed(mha.3)) < 1e-5)
    }

    @Test func packedSegmentsEqualRunningTheSequencesSeparately() throws {
        let lengths = [7, 12, 5], T = 24, nHeads = 4, nKVHeads = 2, headDim = 8  // 24 = 7 + 12 + 5
        let q = randomTensor([1, T, nHeads, headDim], seed: 8)
        let k = randomTensor([1, T, nKVHeads, headDim], seed: 9)
        let v = randomTensor([1, T, nKVHeads, headDim], seed: 10)
        let dout = randomTensor([1, T, nHeads, headDim], seed: 11)
        let segments = lengths.enumerated().flatMap { [Int32](repeating: Int32($0.offset), count: $0.element) }
        let packed = try runAttention(q: q, k: k, v: v, dout: dout, segments: segments, B: 1, T: T,
                                      nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        var start = 0
        for length in lengths {
            let range = start..<(start + length)
            func slice(_ x: Tensor, _ heads: Int) throws -> Tensor {
                try x.reshaped([T, heads, headDim]).rows(range).copy().reshaped([1, length, heads, headDim])
            }
            let alone = try runAttention(q: slice(q, nHeads), k: slice(k, nKVHeads), v: slice(v, nKVHeads),
                                         dout: slice(dout, nHeads), segments: nil, B: 1, T: length,
                                         nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
            #expect(maxAbsDifference(try slice(packed.0, nHeads), alone.0) < 1e-6)
            #expect(maxAbsDifference(try slice(packed.1, nHeads), alone.1) < 1e-6)
            #expect(maxAbsDifference(try slice(packed.2, nKVHeads), alone.2) < 1e-6)
            #expect(maxAbsDifference(try slice(packed.3, nKVHeads), alone.3) < 1e-6)
            start += length
        }
    }

    @Test func paddingTokensGetZeroOutputAndGradientAndDoNotAffectOthers() throws {
        let T = 8, real = 5, nHeads = 2, headDim = 4
        let q = randomTensor([1, T, nHeads, headDim], seed: 12)
        let k = randomTensor([1, T, nHeads, headDim], seed: 13)
        let v = randomTensor([1, T, nHeads, headDim], seed: 14)
        let dout = randomTensor([1, T, nHeads, headDim], seed: 15)
        let segments: [Int32] = [0, 0, 0, 0, 0, -1, -1, -1]
        let padded = try runAttention(q: q, k: k, v: v, dout: dout, segments: segments, B: 1, T: T,
                                      nHeads: nHeads, nKVHeads: nHeads, headDim: headDim)
        for result in [padded.0, padded.1, padded.2, padded.3] {
            #expect(try result.reshaped([T, nHeads * headDim]).rows(real..<T).toArray().allSatisfy { $0 == 0 })
        }
        func prefix(_ x: Tensor) throws -> Tensor {
            try x.reshaped([T, nHeads, headDim]).rows(0..<real).copy().reshaped([1, real, nHeads, headDim])
        }
        let unpadded = try runAttention(q: prefix(q), k: prefix(k), v: prefix(v), dout: prefix(dout), segments: nil,
                                        B: 1, T: real, nHeads: nHeads, nKVHeads: nHeads, headDim: headDim)
        #expect(maxAbsDifference(try prefix(padded.0), unpadded.0) < 1e-6)
        #expect(maxAbsDifference(try prefix(padded.2), unpadded.2) < 1e-6)
    }

    @Test func headCountNotAMultipleOfKVHeadsIsRejected() {
        let q = Tensor(shape: [1, 2, 3, 4]), kv = Tensor(shape: [1, 2, 2, 4])
        let out = Tensor(shape: [1, 2, 3, 4]), lse = Tensor(shape: [1, 3, 2])
        #expect(throws: TensorError.invalidConfiguration(
            op: "Attention.forward", reason: "nHeads (3) must be a positive multiple of nKVHeads (2)")) {
            try Attention.forward(out: out, logSumExp: lse, q: q, k: kv, v: kv, segments: nil,
                                  B: 1, T: 2, nHeads: 3, nKVHeads: 2, headDim: 4)
        }
    }

    @Test func segmentIDsMustCoverEveryToken() {
        let q = Tensor(shape: [1, 2, 2, 4]), kv = Tensor(shape: [1, 2, 2, 4])
        let out = Tensor(shape: [1, 2, 2, 4]), lse = Tensor(shape: [1, 2, 2])
        #expect(throws: TensorError.lengthMismatch(op: "Attention.forward", argument: "segments", expected: 2, actual: 1)) {
            try Attention.forward(out: out, logSumExp: lse, q: q, k: kv, v: kv, segments: [0],
                                  B: 1, T: 2, nHeads: 2, nKVHeads: 2, headDim: 4)
        }
    }
}

/// The C row kernels (queries whose visible keys are one run) against the general loops, and the
/// general loops on segment ids that come back after another id.
@Suite struct AttentionRowKernelTests {
    static func inputs(B: Int, T: Int, nHeads: Int, nKVHeads: Int, headDim: Int) -> (Tensor, Tensor, Tensor, Tensor) {
        (randomTensor([B, T, nHeads, headDim], seed: 11), randomTensor([B, T, nKVHeads, headDim], seed: 12),
         randomTensor([B, T, nKVHeads, headDim], seed: 13), randomTensor([B, T, nHeads, headDim], seed: 14))
    }

    static func run(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ dout: Tensor, segments: [Int32]?, B: Int, T: Int, nHeads: Int,
                    nKVHeads: Int, headDim: Int, rowKernels: Bool) throws -> [[Float]] {
        let out = Tensor(shape: q.shape), lse = Tensor(shape: [B, nHeads, T])
        try Attention.forward(out: out, logSumExp: lse, q: q, k: k, v: v, segments: segments, B: B, T: T, nHeads: nHeads,
                              nKVHeads: nKVHeads, headDim: headDim, rowKernels: rowKernels)
        let dq = Tensor(shape: q.shape), dk = Tensor(shape: k.shape), dv = Tensor(shape: v.shape)
        try Attention.backward(dq: dq, dk: dk, dv: dv, dout: dout, q: q, k: k, v: v, out: out, logSumExp: lse, segments: segments,
                               B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim, rowKernels: rowKernels)
        return [out, lse, dq, dk, dv].map { $0.toArray() }
    }

    @Test(arguments: [(2, 37, 6, 2, 20), (1, 64, 9, 3, 64), (2, 9, 4, 4, 16)])
    func rowKernelsEqualTheGeneralLoops(B: Int, T: Int, nHeads: Int, nKVHeads: Int, headDim: Int) throws {
        let (q, k, v, dout) = Self.inputs(B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        // row 0: two packed sequences, padding between and after; other rows: one sequence each
        var segments = [Int32](repeating: 0, count: B * T)
        for t in 0..<T { segments[t] = t < T / 3 ? 0 : t < T / 3 + 2 ? -1 : t < T - 2 ? 1 : -1 }
        for row in 1..<B { for t in 0..<T { segments[row * T + t] = Int32(row + 1) } }
        for segs in [nil, segments] {
            let fast = try Self.run(q, k, v, dout, segments: segs, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads,
                                    headDim: headDim, rowKernels: true)
            let general = try Self.run(q, k, v, dout, segments: segs, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads,
                                       headDim: headDim, rowKernels: false)
            for (name, (a, b)) in zip(["out", "lse", "dq", "dk", "dv"], zip(fast, general)) {
                let finite = zip(a, b).filter { $0.0.isFinite || $0.1.isFinite }
                #expect(finite.allSatisfy { $0.0.isFinite && $0.1.isFinite }, "\(name): infinite on one side only")
                #expect(maxAbsDifference(finite.map(\.0), finite.map(\.1)) < 2e-5, "\(name)")
            }
        }
    }

    @Test func portableRowKernelsGiveTheSameBits() throws {
        let (B, T, nHeads, nKVHeads, headDim) = (2, 40, 6, 2, 24)  // 24: a partial vector of lanes
        let (q, k, v, dout) = Self.inputs(B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        let vector = try Self.run(q, k, v, dout, segments: nil, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads,
                                  headDim: headDim, rowKernels: true)
        RowIndependentProduct.forcePortable(true)
        defer { RowIndependentProduct.forcePortable(false) }
        let portable = try Self.run(q, k, v, dout, segments: nil, B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads,
                                    headDim: headDim, rowKernels: true)
        #expect(vector == portable)
    }

    @Test func segmentIDsThatComeBackGoThroughTheGeneralLoops() throws {
        let (B, T, nHeads, nKVHeads, headDim) = (1, 12, 4, 2, 8)
        let (q, k, v, _) = Self.inputs(B: B, T: T, nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        let segments: [Int32] = [0, 0, 0, 1, 1, 0, 0, 2, 2, 1, 1, 1]  // ids 0 and 1 come back
        #expect(Attention.firstVisibleKeys(segments, B: B, T: T) == nil)
        #expect(Attention.firstVisibleKeys([0, 0, -1, 1, 1, -1], B: 1, T: 6) == [0, 0, -1, 3, 3, -1])
        let out = Tensor(shape: q.shape), lse = Tensor(shape: [B, nHeads, T])
        try Attention.forward(out: out, logSumExp: lse, q: q, k: k, v: v, segments: segments, B: B, T: T,
                              nHeads: nHeads, nKVHeads: nKVHeads, headDim: headDim)
        let expected = naiveAttention(q: q, k: k, v: v, segments: segments, B: B, T: T, nHeads: nHeads,
                                      nKVHeads: nKVHeads, headDim: headDim)
        #expect(maxAbsDifference(out.toArray(), expected) < 1e-5)
    }
}
