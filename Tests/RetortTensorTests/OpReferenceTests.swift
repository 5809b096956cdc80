// Reference values for the element-wise, normalization and loss ops: hand-computed results, and
// large inputs (which take the multi-threaded paths) against simple loops.
import Foundation
import Testing
@testable import RetortTensor

@Suite struct OpReferenceTests {
    @Test func linearAddsBiasToTheProductWithTheTransposedWeight() throws {
        // inp (1, 2) = [1, 2]; weight (3, 2) rows [1, 0], [0, 1], [1, 1]; bias [10, 20, 30]
        let inp = try Tensor(shape: [1, 2], values: [1, 2])
        let weight = try Tensor(shape: [3, 2], values: [1, 0, 0, 1, 1, 1])
        let bias = try Tensor(shape: [3], values: [10, 20, 30])
        let out = Tensor(shape: [1, 3])
        try Linear.forward(out: out, inp: inp, weight: weight, bias: bias, N: 1, C: 2, OC: 3)
        #expect(out.toArray() == [11, 22, 33])
    }

    @Test func linearBackwardAccumulatesIntoExistingGradients() throws {
        let N = 3, C = 4, OC = 2
        let inp = randomTensor([N, C], seed: 1), weight = randomTensor([OC, C], seed: 2)
        let dout = randomTensor([N, OC], seed: 3)
        let once = (Tensor(shape: [N, C]), Tensor(shape: [OC, C]), Tensor(shape: [OC]))
        let twice = (Tensor(shape: [N, C]), Tensor(shape: [OC, C]), Tensor(shape: [OC]))
        try Linear.backward(dinp: once.0, dweight: once.1, dbias: once.2, dout: dout, inp: inp, weight: weight, N: N, C: C, OC: OC)
        for _ in 0..<2 {
            try Linear.backward(dinp: twice.0, dweight: twice.1, dbias: twice.2, dout: dout, inp: inp, weight: weight, N: N, C: C, OC: OC)
        }
        #expect(maxAbsDifference(twice.0.toArray(), once.0.toArray().map { 2 * $0 }) < 1e-5)
        #expect(maxAbsDifference(twice.1.toArray(), once.1.toArray().map { 2 * $0 }) < 1e-5)
        #expect(maxAbsDifference(twice.2.toArray(), once.2.toArray().map { 2 * $0 }) < 1e-5)
    }

    @Test func largeLinearMatchesNaiveLoops() throws {
        let N = 64, C = 48, OC = 80
        let inp = randomTensor([N, C], seed: 4), weight = randomTensor([OC, C], seed: 5), bias = randomTensor([OC], seed: 6)
        let out = Tensor(shape: [N, OC])
        try Linear.forward(out: out, inp: inp, weight: weight, bias: bias, N: N, C: C, OC: OC)
        var expected = [Float](repeating: 0, count: N * OC)
        for n in 0..<N {
            for o in 0..<OC {
                var sum = Double(bias[o])
                for c in 0..<C { sum += Double(inp[n * C + c]) * Double(weight[o * C + c]) }
                expected[n * OC + o] = Float(sum)
            }
        }
        #expect(maxAbsDifference(out.toArray(), expected) < 1e-4)
        let dout = randomTensor([N, OC], seed: 7), dbias = Tensor(shape: [OC])
        try Linear.backward(dinp: nil, dweight: nil, dbias: dbias, dout: dout, inp: inp, weight: weight, N: N, C: C, OC: OC)
        let columnSums = (0..<OC).map { o in (0..<N).reduce(Float(0)) { $0 + dout[$1 * OC + o] } }
        #expect(maxAbsDifference(dbias.toArray(), columnSums) < 1e-4)
    }

    @Test func embeddingLooksUpRowsAndScatterAddsRepeatedTokens() throws {
        let table = try Tensor(shape: [3, 2], values: [0, 1, 10, 11, 20, 21])
        let out = Tensor(shape: [3, 2])
        try Embedding.forward(out: out, tokens: [2, 0, 2], table: table, N: 3, V: 3, C: 2)
        #expect(out.toArray() == [20, 21, 0, 1, 20, 21])
        let dtable = Tensor(shape: [3, 2])
        let dout = try Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        try Embedding.backward(dtable: dtable, dout: dout, tokens: [2, 0, 2], N: 3, V: 3, C: 2)
        #expect(dtable.toArray() == [3, 4, 0, 0, 6, 8])
    }

    @Test func embeddingRejectsTokenOutsideVocabulary() {
        let table = Tensor(shape: [3, 2]), out = Tensor(shape: [2, 2])
        #expect(throws: TensorError.indexOutOfRange(op: "Embedding.forward", argument: "tokens", position: 1, value: 3, limit: 3)) {
            try Embedding.forward(out: out, tokens: [0, 3], table: table, N: 2, V: 3, C: 2)
        }
    }

    @Test func rmsNormMatchesHandComputedValues() throws {
        // x = [1, 2, 3, 4]: mean square 7.5, rstd = 1/sqrt(7.5 + eps)
        let inp = try Tensor(shape: [1, 4], values: [1, 2, 3, 4])
        let weight = try Tensor(shape: [4], values: [1, 0.5, 2, -1])
        let out = Tensor(shape: [1, 4]), rstd = Tensor(shape: [1])
        try RMSNorm.forward(out: out, rstd: rstd, inp: inp, weight: weight, eps: 1e-6, N: 1, C: 4)
        let s = Float(1 / (7.5 + 1e-6).squareRoot())
        #expect(abs(rstd[0] - s) < 1e-6)
        #expect(maxAbsDifference(out.toArray(), [1 * s, 1 * s, 6 * s, -4 * s]) < 1e-6)
    }

    @Test func largeRMSNormMatchesSerialLoop() throws {
        let N = 128, C = 96
        let inp = randomTensor([N, C], seed: 8), weight = randomTensor([C], seed: 9)
        let out = Tensor(shape: [N, C]), rstd = Tensor(shape: [N])
        try RMSNorm.forward(out: out, rstd: rstd, inp: inp, weight: weight, eps: 1e-5, N: N, C: C)
        var expected = [Float](repeating: 0, count: N * C)
        for n in 0..<N {
            let meanSquare = (0..<C).reduce(0.0) { $0 + Double(inp[n * C + $1]) * Double(inp[n * C + $1]) } / Double(C)
            let s = 1 / (meanSquare + 1e-5).squareRoot()
            for c in 0..<C { expected[n * C + c] = Float(Double(inp[n * C + c]) * s * Double(weight[c])) }
        }
        #expect(maxAbsDifference(out.toArray(), expected) < 1e-5)
    }

    @Test func swiGLUMultipliesSiluOfGateByUp() throws {
        let gate = try Tensor(shape: [1, 3], values: [0, 1, -2])
        let up = try Tensor(shape: [1, 3], values: [5, 2, 1])
        let out = Tensor(shape: [1, 3])
        try SwiGLU.forward(out: out, gate: gate, up: up, N: 1, H: 3)
        let silu = { (x: Double) in x / (1 + exp(-x)) }
        #expect(maxAbsDifference(out.toArray(), [0, Float(silu(1) * 2), Float(silu(-2))]) < 1e-6)
    }

    @Test func residualAddsAndPassesGradientToBothInputs() throws {
        let a = try Tensor(shape: [3], values: [1, 2, 3]), b = try Tensor(shape: [3], values: [10, 20, 30])
        let out = Tensor(shape: [3])
        try Residual.forward(out: out, a: a, b: b, N: 3)
        #expect(out.toArray() == [11, 22, 33])
        let da = try Tensor(shape: [3], values: [1, 1, 1]), db = Tensor(shape: [3])
        try Residual.backward(da: da, db: db, dout: try Tensor(shape: [3], values: [0.5, -1, 2]), N: 3)
        #expect(da.toArray() == [1.5, 0, 3])
        #expect(db.toArray() == [0.5, -1, 2])
    }

    @Test func softmaxMatchesHandComputedValues() throws {
        let inp = try Tensor(shape: [2, 3], values: [1, 2, 3, 1000, 1000, 1000])
        let out = Tensor(shape: [2, 3])
        try Softmax.forward(out: out, inp: inp, N: 2, V: 3)
        // e^0, e^1, e^2 over their sum; the second row must not overflow
        let expected: [Float] = [0.09003057, 0.24472847, 0.66524096, 1.0 / 3, 1.0 / 3, 1.0 / 3]
        #expect(maxAbsDifference(out.toArray(), expected) < 1e-6)
    }

    @Test func logSoftmaxIsTheLogOfSoftmax() throws {
        let inp = randomTensor([4, 9], seed: 10, std: 3)
        let probabilities = Tensor(shape: [4, 9]), logProbabilities = Tensor(shape: [4, 9])
        try Softmax.forward(out: probabilities, inp: inp, N: 4, V: 9)
        try LogSoftmax.forward(out: logProbabilities, inp: inp, N: 4, V: 9)
        #expect(maxAbsDifference(logProbabilities.toArray(), probabilities.toArray().map { logf($0) }) < 1e-5)
    }

    @Test func crossEntropyOfUniformLogitsIsLogVocabularySize() throws {
        let logits = Tensor(shape: [2, 4])
        let dlogits = Tensor(shape: [2, 4])
        let loss = try CrossEntropy.meanLoss(dlogits: dlogits, logits: logits, targets: [1, 3], N: 2, V: 4)
        #expect(abs(loss - log(4.0)) < 1e-6)
        // dlogits = (softmax - onehot) / 2 counted rows
        #expect(maxAbsDifference(dlogits.toArray(), [0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375]) < 1e-6)
    }

    @Test func crossEntropyIgnoresTargetsMarkedMinusOne() throws {
        let logits = randomTensor([3, 5], seed: 11)
        let dlogits = Tensor(shape: [3, 5])
        let loss = try CrossEntropy.meanLoss(dlogits: dlogits, logits: logits, targets: [-1, 2, -1], N: 3, V: 5)
        let row = (0..<5).map { Double(logits[5 + $0]) }
        let expected = log(row.map { exp($0) }.reduce(0, +)) - row[2]
        #expect(abs(loss - expected) < 1e-5)
        #expect(dlogits.toArray()[0..<5].allSatisfy { $0 == 0 })
        #expect(dlogits.toArray()[10..<15].allSatisfy { $0 == 0 })
        let allIgnored = try CrossEntropy.meanLoss(dlogits: nil, logits: logits, targets: [-1, -1, -1], N: 3, V: 5)
        #expect(allIgnored == 0)
    }

    @Test func crossEntropyInChunksEqualsTheWholeBatch() throws {
        let N = 10, V = 7
        let logits = randomTensor([N, V], seed: 12, std: 2)
        let targets: [Int32] = [0, 6, -1, 3, 3, -1, 1, 2, 5, 4]
        let whole = Tensor(shape: [N, V])
        let wholeLoss = try CrossEntropy.meanLoss(dlogits: whole, logits: logits, targets: targets, N: N, V: V)
        let chunked = Tensor(shape: [N, V])
        let normalizer = CrossEntropy.countedTargets(targets)
        var lossSum = 0.0
        for range in [0..<3, 3..<8, 8..<10] {
            let result = try CrossEntropy.forwardBackward(
                dlogits: try chunked.rows(range), logits: try logits.rows(range), targets: targets[range],
                normalizer: normalizer, R: range.count, V: V)
            lossSum += result.lossSum
        }
        #expect(abs(lossSum / Double(normalizer) - wholeLoss) < 1e-6)
        #expect(maxAbsDifference(chunked, whole) < 1e-7)
    }

    @Test func crossEntropyInPlaceReplacesLogitsWithTheirGradient() throws {
        let logits = randomTensor([3, 4], seed: 13)
        let separate = Tensor(shape: [3, 4])
        let targets: [Int32] = [1, -1, 0]
        let expected = try CrossEntropy.meanLoss(dlogits: separate, logits: logits, targets: targets, N: 3, V: 4)
        let loss = try CrossEntropy.meanLoss(dlogits: logits, logits: logits, targets: targets, N: 3, V: 4)
        #expect(loss == expected)
        #expect(maxAbsDifference(logits, separate) < 1e-7)
    }

    @Test func crossEntropyRejectsTargetOutsideVocabulary() {
        let logits = Tensor(shape: [2, 4])
        #expect(throws: TensorError.self) {
            try CrossEntropy.meanLoss(dlogits: nil, logits: logits, targets: [1, 4], N: 2, V: 4)
        }
        #expect(throws: TensorError.self) {
            try CrossEntropy.meanLoss(dlogits: nil, logits: logits, targets: [-2, 0], N: 2, V: 4)
        }
    }
}
