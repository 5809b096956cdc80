// Statements every token-level objective must satisfy whatever its implementation: divergences of
// a distribution from itself vanish, bounds hold, the β limits of JSD, k = vocab sparse = dense,
// chunks add up, zero masks give zero.
import Foundation
import Testing
@testable import RetortDistill

@Suite struct TokenObjectiveIdentityTests {
    @Test(arguments: [Float(1), 2.5])
    func divergenceOfTheTeacherFromItselfIsZero(temperature: Float) throws {
        var inputs = TokenCheckInputs(positions: 4, vocab: 9, seed: 1)
        inputs.logits = inputs.teacherLogprobs
        for (name, objective) in try divergenceObjectives() {
            for k in [nil, 9] as [Int?] {
                let (loss, gradient) = try meanLoss(objective, inputs, sparseK: k, temperature: temperature)
                #expect(abs(loss) < 1e-6, "\(name) k=\(k ?? 0): D(p‖p) = \(loss)")
                #expect(gradient.allSatisfy { abs($0) < 1e-6 }, "\(name): gradient at p = q is not zero")
            }
        }
    }

    @Test func divergencesArePositiveForDifferentDistributions() throws {
        let inputs = TokenCheckInputs(positions: 4, vocab: 9, seed: 2)
        for (name, objective) in try divergenceObjectives() {
            #expect(try meanLoss(objective, inputs).loss > 1e-3, "\(name)")
            #expect(try meanLoss(objective, inputs, sparseK: 3, temperature: 2).loss > 1e-3, "\(name) sparse")
        }
    }

    @Test func jsdStaysWithinTheBinaryEntropyOfBeta() throws {
        // Unscaled JSD(β) = reported · β(1−β) lies in [0, H(β)], H(β) = −β log β − (1−β) log(1−β) ≤ log 2;
        // nearly disjoint distributions come close to the bound.
        var inputs = TokenCheckInputs(positions: 2, vocab: 6, seed: 3, mask: [1, 1])
        inputs.logits = [30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30]
        inputs.teacherLogprobs = logSoftmax([0, 0, 0, 0, 0, 40]).map(Float.init) + logSoftmax([40, 0, 0, 0, 0, 0]).map(Float.init)
        for beta in [0.1, 0.5, 0.8] {
            let jsd = try GeneralizedJSD(beta: beta)
            let unscaled = try meanLoss(jsd, inputs).loss * jsd.unscaledFactor
            let entropy = -beta * log(beta) - (1 - beta) * log(1 - beta)
            #expect(unscaled <= entropy + 1e-9)
            #expect(unscaled > entropy - 1e-6, "disjoint distributions should reach H(β): \(unscaled) vs \(entropy)")
        }
        let random = TokenCheckInputs(positions: 4, vocab: 9, seed: 4)
        let half = try meanLoss(try GeneralizedJSD(beta: 0.5), random).loss * 0.25
        #expect(half >= 0 && half <= log(2.0))
    }

    @Test func jsdApproachesForwardKLAsBetaGoesToZeroAndReverseKLAsBetaGoesToOne() throws {
        let inputs = TokenCheckInputs(positions: 4, vocab: 9, seed: 5)
        for k in [nil, 3] as [Int?] {
            let forward = try meanLoss(ForwardKL(), inputs, sparseK: k, temperature: 1.5)
            let reverse = try meanLoss(ReverseKL(), inputs, sparseK: k, temperature: 1.5)
            let nearZero = try meanLoss(try GeneralizedJSD(beta: 1e-5), inputs, sparseK: k, temperature: 1.5)
            let nearOne = try meanLoss(try GeneralizedJSD(beta: 1 - 1e-5), inputs, sparseK: k, temperature: 1.5)
            #expect(abs(nearZero.loss - forward.loss) < 1e-3 * forward.loss)
            #expect(abs(nearOne.loss - reverse.loss) < 1e-3 * reverse.loss)
            #expect(maxDifference(nearZero.gradient, forward.gradient) < 1e-3)
            #expect(maxDifference(nearOne.gradient, reverse.gradient) < 1e-3)
            // And the end points are exactly the two KLs.
            #expect(try meanLoss(try GeneralizedJSD(beta: 0), inputs, sparseK: k, temperature: 1.5).loss == forward.loss)
            #expect(try meanLoss(try GeneralizedJSD(beta: 1), inputs, sparseK: k, temperature: 1.5).loss == reverse.loss)
        }
    }

    @Test func totalVariationLiesBetweenZeroAndOne() throws {
        let random = TokenCheckInputs(positions: 4, vocab: 9, seed: 6)
        let loss = try meanLoss(TotalVariationDistance(), random).loss
        #expect(loss > 0 && loss < 1)
        var disjoint = TokenCheckInputs(positions: 1, vocab: 4, seed: 6, mask: [1])
        disjoint.logits = [40, 0, 0, 0]
        disjoint.teacherLogprobs = logSoftmax([0, 0, 0, 40]).map(Float.init)
        let far = try meanLoss(TotalVariationDistance(), disjoint).loss
        #expect(far <= 1 && far > 0.999999)
    }

    @Test func skewDivergencesWithZeroAlphaAreThePlainKLs() throws {
        let inputs = TokenCheckInputs(positions: 4, vocab: 9, seed: 7)
        let pairs: [(any TokenObjective, any TokenObjective)] = [
            (try SkewForwardKL(alpha: 0), ForwardKL()), (try SkewReverseKL(alpha: 0), ReverseKL()),
        ]
        for (skew, plain) in pairs {
            let a = try meanLoss(skew, inputs, sparseK: 4, temperature: 1.3)
            let b = try meanLoss(plain, inputs, sparseK: 4, temperature: 1.3)
            #expect(abs(a.loss - b.loss) < 1e-12)
            #expect(maxDifference(a.gradient, b.gradient) < 1e-7)
        }
        // A positive α makes the skew divergence smaller than the plain one.
        #expect(try meanLoss(try SkewForwardKL(alpha: 0.3), inputs).loss < meanLoss(ForwardKL(), inputs).loss)
        #expect(try meanLoss(try SkewReverseKL(alpha: 0.3), inputs).loss < meanLoss(ReverseKL(), inputs).loss)
    }

    @Test(arguments: [Float(1), 1.7])
    func sparseTeacherWithKEqualToVocabEqualsTheDenseTeacher(temperature: Float) throws {
        let inputs = TokenCheckInputs(positions: 5, vocab: 8, seed: 8)
        for (name, objective) in try divergenceObjectives() {
            let dense = try meanLoss(objective, inputs, temperature: temperature)
            let sparse = try meanLoss(objective, inputs, sparseK: 8, temperature: temperature)
            #expect(abs(dense.loss - sparse.loss) < 1e-6 * max(1, dense.loss), "\(name): \(dense.loss) vs \(sparse.loss)")
            #expect(maxDifference(dense.gradient, sparse.gradient) < 1e-6, "\(name)")
        }
    }

    @Test(arguments: [Float(1), 2.5])
    func sparseTeacherEqualsDenseWhenTheRestIsUniformOnBothSides(temperature: Float) throws {
        // When teacher and student are both flat over the non-top-k ids, the "other" bucket loses
        // nothing, so sparse must equal dense — this pins down how the bucket is tempered.
        let vocab = 10
        let top: [Int: Double] = [2: 0.4, 5: 0.25, 7: 0.15]
        let teacherRow = (0..<vocab).map { Float(log(top[$0] ?? (0.2 / 7))) }
        let studentRow: [Float] = (0..<vocab).map { [2: 1.5, 5: -0.5, 7: 0.25][$0] ?? 0.75 }
        var inputs = TokenCheckInputs(positions: 2, vocab: vocab, seed: 9, mask: [1, 0.5])
        inputs.teacherLogprobs = teacherRow + teacherRow
        inputs.logits = studentRow + studentRow.reversed()
        inputs.logits.replaceSubrange(10..<20, with: studentRow)
        for (name, objective) in try divergenceObjectives() {
            let dense = try meanLoss(objective, inputs, temperature: temperature)
            let sparse = try meanLoss(objective, inputs, sparseK: 3, temperature: temperature)
            #expect(abs(dense.loss - sparse.loss) < 1e-6 * max(1, dense.loss), "\(name) τ=\(temperature): \(dense.loss) vs \(sparse.loss)")
            #expect(maxDifference(dense.gradient, sparse.gradient) < 1e-6, "\(name) τ=\(temperature)")
        }
    }

    @Test func aMaskThatSumsToZeroGivesZeroLossAndZeroGradient() throws {
        let inputs = TokenCheckInputs(positions: 3, vocab: 5, seed: 10, mask: [0, 0, 0])
        for (name, objective) in try divergenceObjectives() + [("sft", TeacherTextCrossEntropy())] {
            var gradient = [Float](repeating: .nan, count: 15)
            let value = try inputs.evaluate(objective, logits: inputs.logits, sparseK: 2, temperature: 1, gradient: &gradient)
            #expect(value == .zero, "\(name)")
            #expect(value.loss == 0)
            #expect(gradient.allSatisfy { $0 == 0 }, "\(name): gradient must be overwritten with zeros")
            let mean = try meanLoss(objective, inputs)
            #expect(mean.loss == 0 && mean.gradient.allSatisfy { $0 == 0 })
        }
    }

    @Test func chunksOfRowsAddUpToTheWholeBatch() throws {
        // 40 × 2048 is above the parallel threshold, so the whole-batch call runs across cores
        // while the one-row chunks run serially; both must agree exactly.
        let inputs = TokenCheckInputs(positions: 40, vocab: 2048, seed: 12)
        #expect(40 * 2048 >= RowParallel.parallelThreshold)
        for (name, objective) in try divergenceObjectives() + [("sft", TeacherTextCrossEntropy())] {
            for k in [nil, 16] as [Int?] {
                var whole: [Float] = []
                let total = try inputs.evaluate(objective, logits: inputs.logits, sparseK: k, temperature: 1.3, gradient: &whole)
                var sum = ObjectiveValue.zero
                var pieces: [Float] = []
                for chunk in stride(from: 0, to: 40, by: 7) {
                    var gradient: [Float] = []
                    sum += try inputs.evaluate(
                        objective, logits: inputs.logits, sparseK: k, temperature: 1.3, rows: chunk..<min(chunk + 7, 40), gradient: &gradient)
                    pieces += gradient
                }
                #expect(abs(sum.lossSum - total.lossSum) < 1e-9 * max(1, abs(total.lossSum)), "\(name)")
                #expect(sum.weightSum == total.weightSum)
                #expect(pieces == whole, "\(name) k=\(k ?? 0): chunked gradient differs")
            }
        }
    }

    @Test func crossEntropyIgnoresTemperatureAndMatchesMinusLogSoftmax() throws {
        let inputs = TokenCheckInputs(positions: 4, vocab: 6, seed: 13)
        let cold = try meanLoss(TeacherTextCrossEntropy(), inputs, temperature: 1)
        let hot = try meanLoss(TeacherTextCrossEntropy(), inputs, temperature: 3)
        #expect(cold.loss == hot.loss && cold.gradient == hot.gradient)
        var expected = 0.0, weight = 0.0
        for row in 0..<4 where inputs.mask[row] > 0 {
            let logp = logSoftmax(inputs.logits[(row * 6)..<((row + 1) * 6)].map(Double.init))
            expected += Double(inputs.mask[row]) * -logp[Int(inputs.targets[row])]
            weight += Double(inputs.mask[row])
        }
        // float32 exponentials (a few ulp each) summed in float64
        #expect(abs(cold.loss - expected / weight) < 1e-6)
    }

    @Test func temperatureScalesDivergencesByTauSquared() throws {
        // With τ applied to both sides, D is computed on softened distributions and multiplied by τ².
        var inputs = TokenCheckInputs(positions: 1, vocab: 3, seed: 14, mask: [1])
        inputs.logits = [2, 0, -2]
        inputs.teacherLogprobs = logSoftmax([0, 0, 0]).map(Float.init)
        let tau = 2.0
        let student = logSoftmax([1, 0, -1])
        let expected = tau * tau * student.reduce(0) { $0 + exp($1) * ($1 - log(1.0 / 3)) }
        #expect(abs(try meanLoss(ReverseKL(), inputs, temperature: Float(tau)).loss - expected) < 1e-6)
    }

    @Test func mixturesAddTheirPartsWhetherOrNotAPartCanAccumulate() throws {
        let inputs = TokenCheckInputs(positions: 4, vocab: 9, seed: 15)
        let mixture = try TokenObjectiveMixture([
            .init(weight: 0.5, objective: TeacherTextCrossEntropy()), .init(weight: 0.5, objective: ReverseKL()),
        ])
        let wrapped = try TokenObjectiveMixture([
            .init(weight: 0.5, objective: OverwritingOnly(inner: TeacherTextCrossEntropy())),
            .init(weight: 0.5, objective: OverwritingOnly(inner: ReverseKL())),
        ])
        let sft = try meanLoss(TeacherTextCrossEntropy(), inputs, sparseK: 4)
        let reverse = try meanLoss(ReverseKL(), inputs, sparseK: 4)
        for candidate in [mixture, wrapped] {
            let mixed = try meanLoss(candidate, inputs, sparseK: 4)
            #expect(abs(mixed.loss - (0.5 * sft.loss + 0.5 * reverse.loss)) < 1e-9)
            let expected = zip(sft.gradient, reverse.gradient).map { 0.5 * $0 + 0.5 * $1 }
            #expect(maxDifference(mixed.gradient, expected) < 1e-6)
        }
        #expect(mixture.name == "0.5·sft + 0.5·reverse-kl")
    }
}

/// A token objective that only overwrites (as a plugin adapter would), to test the mixture's scratch path.
struct OverwritingOnly: TokenObjective {
    let inner: any TokenObjective
    var name: String { inner.name }

    func evaluate(_ batch: TokenBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try inner.evaluate(batch, rows: rows, gradient: gradient)
    }
}
