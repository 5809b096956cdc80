// The inference product of CRetortKernels: values against a double-precision loop for shapes that
// leave tails everywhere (width not a multiple of 16, columns not of 4, odd rows), bias-style
// accumulation, and the property decoding relies on: a row's outputs are the same bit for bit
// alone, in any batch, and under any split of the columns.
import CRetortKernels
import Testing
@testable import RetortTensor

@Suite struct RowIndependentProductTests {
    static func reference(_ x: Tensor, _ w: Tensor, rows: Int, C: Int, OC: Int) -> [Double] {
        var out = [Double](repeating: 0, count: rows * OC)
        for r in 0..<rows { for o in 0..<OC { for k in 0..<C { out[r * OC + o] += Double(x.data[r * C + k]) * Double(w.data[o * C + k]) } } }
        return out
    }

    @Test(arguments: [(1, 1, 1), (1, 37, 11), (3, 16, 4), (5, 77, 13), (8, 576, 9)])
    func matchesADoublePrecisionLoop(rows: Int, C: Int, OC: Int) {
        let x = randomTensor([rows, C], seed: 7), w = randomTensor([OC, C], seed: 8)
        let out = Tensor(shape: [rows, OC])
        RowIndependentProduct.multiply(out: out.data, inp: x.data, weight: w.data, rows: rows, C: C, OC: OC, accumulate: false)
        let expected = Self.reference(x, w, rows: rows, C: C, OC: OC)
        for i in expected.indices { #expect(abs(Double(out.data[i]) - expected[i]) < 1e-5 * Double(C)) }
        // Accumulating adds the product to what is there (a bias).
        for i in 0..<(rows * OC) { out.data[i] = 1.5 }
        RowIndependentProduct.multiply(out: out.data, inp: x.data, weight: w.data, rows: rows, C: C, OC: OC, accumulate: true)
        for i in expected.indices { #expect(abs(Double(out.data[i]) - (expected[i] + 1.5)) < 1e-5 * Double(C)) }
    }

    @Test func eachRowIsTheSameAloneInABatchAndUnderAnyColumnSplit() {
        let rows = 7, C = 203, OC = 30
        let x = randomTensor([rows, C], seed: 1), w = randomTensor([OC, C], seed: 2)
        let batch = Tensor(shape: [rows, OC])
        RowIndependentProduct.multiply(out: batch.data, inp: x.data, weight: w.data, rows: rows, C: C, OC: OC, accumulate: false)
        for r in 0..<rows {
            let alone = Tensor(shape: [1, OC])
            RowIndependentProduct.multiply(out: alone.data, inp: x.data + r * C, weight: w.data, rows: 1, C: C, OC: OC, accumulate: false)
            #expect((0..<OC).allSatisfy { alone.data[$0] == batch.data[r * OC + $0] }, "row \(r)")
        }
        // Columns computed in uneven pieces (blocks of 4 broken up) give the same bits.
        let pieces = Tensor(shape: [rows, OC])
        for (begin, end) in [(0, 3), (3, 10), (10, 11), (11, 30)] {
            retort_rows_times_weights(x.data, Int64(C), w.data, Int64(C), pieces.data, Int64(OC), Int64(rows), Int64(C),
                                      Int64(begin), Int64(end), 0)
        }
        #expect((0..<(rows * OC)).allSatisfy { pieces.data[$0] == batch.data[$0] })
    }

    @Test func thePortablePathGivesTheBitsOfTheVectorPath() {
        for (rows, C, OC) in [(1, 576, 9), (3, 37, 11), (6, 203, 30), (16, 96, 5)] {
            let x = randomTensor([rows, C], seed: 3), w = randomTensor([OC, C], seed: 4)
            let vector = Tensor(shape: [rows, OC]), portable = Tensor(shape: [rows, OC])
            RowIndependentProduct.multiply(out: vector.data, inp: x.data, weight: w.data, rows: rows, C: C, OC: OC, accumulate: false)
            RowIndependentProduct.forcePortable(true)
            RowIndependentProduct.multiply(out: portable.data, inp: x.data, weight: w.data, rows: rows, C: C, OC: OC, accumulate: false)
            RowIndependentProduct.forcePortable(false)
            #expect(portable.toArray().map(\.bitPattern) == vector.toArray().map(\.bitPattern), "\(rows)x\(C)x\(OC)")
        }
    }
}
