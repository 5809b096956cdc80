// RoPE: the rotate_half pairing on hand-computed values, partial rotary leaving the other dims
// alone, restarting positions, and scores that depend only on relative position.
import Foundation
import Testing
@testable import RetortTensor

@Suite struct RoPETests {
    func apply(_ inp: Tensor, positions: [Int32], nHeads: Int, headDim: Int, rotaryDim: Int, theta: Float = 10_000) throws -> Tensor {
        let out = Tensor(shape: inp.shape)
        try RoPE.forward(out: out, inp: inp, positions: positions, N: positions.count, nHeads: nHeads,
                         headDim: headDim, rotaryDim: rotaryDim, theta: theta)
        return out
    }

    @Test func rotatesDimensionIWithDimensionIPlusHalf() throws {
        // headDim 4: pairs (0, 2) at frequency 1 and (1, 3) at frequency 10000^(-1/2) = 0.01; position 1
        let x = try Tensor(shape: [1, 1, 4], values: [1, 2, 3, 4])
        let out = try apply(x, positions: [1], nHeads: 1, headDim: 4, rotaryDim: 4)
        let (c0, s0, c1, s1) = (cos(1.0), sin(1.0), cos(0.01), sin(0.01))
        let expected = [1 * c0 - 3 * s0, 2 * c1 - 4 * s1, 3 * c0 + 1 * s0, 4 * c1 + 2 * s1].map { Float($0) }
        #expect(maxAbsDifference(out.toArray(), expected) < 1e-6)
    }

    @Test func partialRotaryRotatesOnlyTheFirstRotaryDimsWithFrequenciesOfRotaryDim() throws {
        let x = try Tensor(shape: [1, 2, 8], values: [1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -8])
        let out = try apply(x, positions: [1], nHeads: 2, headDim: 8, rotaryDim: 4)
        let values = out.toArray()
        // the last four dims of each head pass through untouched
        #expect(Array(values[4..<8]) == [5, 6, 7, 8])
        #expect(Array(values[12..<16]) == [-5, -6, -7, -8])
        // the first four rotate as a 4-dim head would (frequencies from rotaryDim, not headDim)
        let (c0, s0, c1, s1) = (cos(1.0), sin(1.0), cos(0.01), sin(0.01))
        let expected = [1 * c0 - 3 * s0, 2 * c1 - 4 * s1, 3 * c0 + 1 * s0, 4 * c1 + 2 * s1].map { Float($0) }
        #expect(maxAbsDifference(Array(values[0..<4]), expected) < 1e-6)
    }

    @Test func positionZeroIsTheIdentitySoPackedSequencesRestart() throws {
        let x = randomTensor([4, 2, 6], seed: 1)
        let out = try apply(x, positions: [0, 1, 0, 1], nHeads: 2, headDim: 6, rotaryDim: 6)
        #expect(maxAbsDifference(try out.rows(0..<1), try x.rows(0..<1)) == 0)
        #expect(maxAbsDifference(try out.rows(2..<3), try x.rows(2..<3)) == 0)
        // tokens at equal positions rotate identically, whichever segment they are in
        let second = try apply(try x.rows(3..<4).copy(), positions: [1], nHeads: 2, headDim: 6, rotaryDim: 6)
        #expect(maxAbsDifference(try out.rows(3..<4), second) < 1e-7)
    }

    @Test func scoresDependOnlyOnRelativePosition() throws {
        let q = randomTensor([1, 1, 8], seed: 2), k = randomTensor([1, 1, 8], seed: 3)
        func score(_ qPosition: Int32, _ kPosition: Int32) throws -> Float {
            let rq = try apply(q, positions: [qPosition], nHeads: 1, headDim: 8, rotaryDim: 8, theta: 500)
            let rk = try apply(k, positions: [kPosition], nHeads: 1, headDim: 8, rotaryDim: 8, theta: 500)
            return zip(rq.toArray(), rk.toArray()).reduce(0) { $0 + $1.0 * $1.1 }
        }
        #expect(abs(try score(5, 2) - score(13, 10)) < 1e-4)
        #expect(abs(try score(5, 2) - score(5, 4)) > 1e-3)
    }

    @Test func inPlaceMatchesOutOfPlaceAndBackwardUndoesTheRotation() throws {
        let x = randomTensor([3, 2, 8], seed: 4)
        let positions: [Int32] = [3, 7, 11]
        let out = try apply(x, positions: positions, nHeads: 2, headDim: 8, rotaryDim: 6)
        let inPlace = x.copy()
        try RoPE.forward(out: inPlace, inp: inPlace, positions: positions, N: 3, nHeads: 2, headDim: 8, rotaryDim: 6, theta: 10_000)
        #expect(maxAbsDifference(out, inPlace) == 0)
        // the rotation is orthogonal: its backward (the transpose) maps out back to x
        let back = Tensor(shape: x.shape)
        try RoPE.backward(dinp: back, dout: out, positions: positions, N: 3, nHeads: 2, headDim: 8, rotaryDim: 6, theta: 10_000)
        #expect(maxAbsDifference(back, x) < 1e-5)
    }

    @Test func oddOrOversizedRotaryDimIsRejected() {
        let x = Tensor(shape: [1, 1, 4])
        #expect(throws: TensorError.self) { try apply(x, positions: [0], nHeads: 1, headDim: 4, rotaryDim: 3) }
        #expect(throws: TensorError.self) { try apply(x, positions: [0], nHeads: 1, headDim: 4, rotaryDim: 6) }
        #expect(throws: TensorError.self) { try apply(x, positions: [0, 1], nHeads: 1, headDim: 4, rotaryDim: 4) }
    }
}
