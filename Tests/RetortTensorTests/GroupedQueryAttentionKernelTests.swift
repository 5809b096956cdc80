// The attention kernel of decoding against a double-precision softmax for head widths with and
// without a 16-lane tail, groups larger than the kernel's chunk of 4 heads, one to many positions and
// keys interleaved with other heads' (a stride wider than a head); and the portable path gives the
// same bits as the vector path.
import Testing
@testable import RetortTensor

@Suite(.serialized) struct GroupedQueryAttentionKernelTests {
    static func reference(q: [Float], keys: [Float], values: [Float], stride: Int, length: Int, group: Int, d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: group * d)
        let scale = 1 / Double(d).squareRoot()
        for g in 0..<group {
            let scores = (0..<length).map { j in (0..<d).reduce(0.0) { $0 + Double(q[g * d + $1]) * Double(keys[j * stride + $1]) } * scale }
            let top = scores.max()!
            let weights = scores.map { Foundation.exp($0 - top) }
            let total = weights.reduce(0, +)
            for j in 0..<length { for i in 0..<d { out[g * d + i] += weights[j] / total * Double(values[j * stride + i]) } }
        }
        return out
    }

    static func run(q: [Float], keys: [Float], values: [Float], stride: Int, length: Int, group: Int, d: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: group * d)
        GroupedQueryAttentionKernel.run(out: &out, q: q, keys: keys, values: values, stride: stride, length: length, group: group,
                                        headDim: d, scale: 1 / Float(d).squareRoot())
        return out
    }

    @Test(arguments: [(1, 8, 1), (3, 64, 70), (5, 40, 7), (2, 80, 33), (9, 64, 5)])
    func matchesADoublePrecisionSoftmax(group: Int, d: Int, length: Int) {
        let stride = d * 3
        let q = randomTensor([group * d], seed: 1).toArray(), keys = randomTensor([length * stride], seed: 2).toArray()
        let values = randomTensor([length * stride], seed: 3).toArray()
        let got = Self.run(q: q, keys: keys, values: values, stride: stride, length: length, group: group, d: d)
        let expected = Self.reference(q: q, keys: keys, values: values, stride: stride, length: length, group: group, d: d)
        for i in expected.indices { #expect(abs(Double(got[i]) - expected[i]) < 1e-5, "group \(group) d \(d) length \(length) at \(i)") }
        RowIndependentProduct.forcePortable(true)
        let portable = Self.run(q: q, keys: keys, values: values, stride: stride, length: length, group: group, d: d)
        RowIndependentProduct.forcePortable(false)
        #expect(portable.map(\.bitPattern) == got.map(\.bitPattern))
    }
}

import Foundation
