// Tensor storage and views: row ranges and reshapes share storage, and bad requests throw errors
// that name what differs.
import Foundation
import Testing
@testable import RetortTensor

@Suite struct TensorTests {
    @Test func rowViewSharesStorageWithItsParent() throws {
        let t = try Tensor(shape: [3, 2], values: [0, 1, 2, 3, 4, 5])
        let middle = try t.rows(1..<2)
        #expect(middle.shape == [1, 2])
        #expect(middle.toArray() == [2, 3])
        middle[1] = 30
        #expect(t.toArray() == [0, 1, 2, 30, 4, 5])
    }

    @Test func reshapeKeepsElementsWithoutCopying() throws {
        let t = try Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
        let r = try t.reshaped([3, 2])
        #expect(r.shape == [3, 2])
        #expect(try r.rows(2..<3).toArray() == [4, 5])
        r[0] = -1
        #expect(t[0] == -1)
    }

    @Test func reshapeToDifferentCountThrowsNamingBothShapes() throws {
        let t = Tensor(shape: [2, 3])
        #expect(throws: TensorError.invalidReshape(from: [2, 3], to: [4, 2])) { try t.reshaped([4, 2]) }
        let message = TensorError.invalidReshape(from: [2, 3], to: [4, 2]).localizedDescription
        #expect(message.contains("[2, 3]") && message.contains("[4, 2]"))
    }

    @Test func rowsOutOfBoundsThrow() {
        let t = Tensor(shape: [3, 2])
        #expect(throws: TensorError.rowRangeOutOfBounds(range: 2..<4, rows: 3)) { try t.rows(2..<4) }
    }

    @Test func copyIsIndependentOfTheOriginal() throws {
        let t = try Tensor(shape: [2], values: [1, 2])
        let c = t.copy()
        c[0] = 9
        #expect(t.toArray() == [1, 2])
    }

    @Test func initializerRejectsWrongValueCount() {
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 2], values: [1, 2, 3]) }
    }

    @Test func opRejectsTransposedWeightNamingTheArgument() throws {
        let out = Tensor(shape: [2, 3]), inp = Tensor(shape: [2, 4])
        let transposed = Tensor(shape: [4, 3])  // (C, OC) instead of (OC, C)
        do {
            try Linear.forward(out: out, inp: inp, weight: transposed, bias: nil, N: 2, C: 4, OC: 3)
            Issue.record("expected a shape mismatch")
        } catch let error as TensorError {
            #expect(error == .shapeMismatch(op: "Linear.forward", argument: "weight", expected: [3, 4], actual: [4, 3]))
            #expect(error.localizedDescription.contains("weight"))
        }
    }

    @Test func seededGeneratorIsReproducibleAndRoughlyStandardNormal() {
        let a = randomTensor([10_000], seed: 7), b = randomTensor([10_000], seed: 7)
        #expect(a.toArray() == b.toArray())
        let values = a.toArray().map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        #expect(abs(mean) < 0.05)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test func opsAcceptFlattenedOrSplitHeadLayoutsOfTheSameData() throws {
        // q from a linear layer is (N, nHeads*headDim); RoPE and attention describe it as (N, nHeads, headDim)
        let flat = randomTensor([3, 8], seed: 5), split = try flat.copy().reshaped([3, 2, 4])
        let outFlat = Tensor(shape: [3, 8]), outSplit = Tensor(shape: [3, 2, 4])
        try RoPE.forward(out: outFlat, inp: flat, positions: [0, 1, 2], N: 3, nHeads: 2, headDim: 4, rotaryDim: 4, theta: 100)
        try RoPE.forward(out: outSplit, inp: split, positions: [0, 1, 2], N: 3, nHeads: 2, headDim: 4, rotaryDim: 4, theta: 100)
        #expect(outFlat.toArray() == outSplit.toArray())
        // and a (B, T, nHeads, headDim) tensor passes where a linear layer expects (N, C)
        let out = Tensor(shape: [3, 5])
        try Linear.forward(out: out, inp: try split.reshaped([1, 3, 2, 4]), weight: Tensor(shape: [5, 8]), bias: nil, N: 3, C: 8, OC: 5)
        // but not a layout whose rows would be cut differently
        #expect(throws: TensorError.self) {
            try RoPE.forward(out: Tensor(shape: [3, 8]), inp: Tensor(shape: [4, 6]), positions: [0, 1, 2],
                             N: 3, nHeads: 2, headDim: 4, rotaryDim: 4, theta: 100)
        }
    }
}
