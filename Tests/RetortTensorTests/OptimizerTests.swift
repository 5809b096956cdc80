// Optimizers, schedules and clipping: AdamW and SGD against their closed forms, state that
// round-trips bit for bit, schedule values at their landmarks, clipping to the maximum norm.
import Foundation
import Testing
@testable import RetortTensor

func parameter(_ name: String, _ values: [Float], gradient: [Float], weightDecay: Bool = true) throws -> TrainableParameter {
    try TrainableParameter(name: name, value: Tensor(shape: [values.count], values: values),
                           gradient: Tensor(shape: [gradient.count], values: gradient), weightDecay: weightDecay)
}

@Suite struct OptimizerTests {
    @Test func adamWFirstStepMatchesClosedForm() throws {
        // After one step m_hat = g and v_hat = g^2, so p1 = p0 - lr * (g / (|g| + eps) + wd * p0).
        let p0: [Float] = [0.5, -1, 2, 0], g: [Float] = [0.1, -3, 0.0001, 2]
        let decayed = try parameter("w", p0, gradient: g)
        let plain = try parameter("b", p0, gradient: g, weightDecay: false)
        let config = AdamW.Configuration(beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1)
        let adam = AdamW(parameters: [decayed, plain], configuration: config)
        let lr: Float = 0.01
        adam.step(learningRate: lr)
        for i in 0..<4 {
            let update = Double(g[i]) / (abs(Double(g[i])) + 1e-8)
            #expect(abs(Double(decayed.value[i]) - (Double(p0[i]) - Double(lr) * (update + 0.1 * Double(p0[i])))) < 1e-6)
            #expect(abs(Double(plain.value[i]) - (Double(p0[i]) - Double(lr) * update)) < 1e-6)
        }
        #expect(adam.stepCount == 1)
    }

    @Test func adamWSecondStepUsesBiasCorrectedMoments() throws {
        let p = try parameter("w", [1], gradient: [0.5])
        let adam = AdamW(parameters: [p], configuration: .init(beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0))
        adam.step(learningRate: 0.1)
        p.gradient[0] = -0.25
        adam.step(learningRate: 0.1)
        let m = 0.9 * (0.1 * 0.5) + 0.1 * -0.25, v = 0.99 * (0.01 * 0.25) + 0.01 * 0.0625
        let update = (m / (1 - 0.81)) / ((v / (1 - 0.9801)).squareRoot() + 1e-8)
        let expected = 1 - 0.1 * 1.0 - 0.1 * update  // the first step's update was exactly 1
        #expect(abs(Double(p.value[0]) - expected) < 1e-6)
    }

    @Test func restoredAdamWStateContinuesBitForBit() throws {
        let values = randomTensor([50], seed: 1).toArray()
        func gradient(_ step: Int) -> [Float] { randomTensor([50], seed: UInt64(100 + step)).toArray() }
        let original = try parameter("w", values, gradient: gradient(0))
        let adam = AdamW(parameters: [original])
        for step in 0..<3 {
            try original.gradient.load(gradient(step))
            adam.step(learningRate: 1e-3)
        }
        let saved = adam.exportState()
        let encoded = try JSONEncoder().encode(saved)
        let decoded = try JSONDecoder().decode(OptimizerState.self, from: encoded)
        #expect(decoded == saved)
        let resumed = try parameter("w", original.value.toArray(), gradient: gradient(3))
        let restored = AdamW(parameters: [resumed])
        try restored.importState(decoded)
        #expect(restored.stepCount == 3)
        try original.gradient.load(gradient(3))
        adam.step(learningRate: 1e-3)
        restored.step(learningRate: 1e-3)
        #expect(original.value.toArray() == resumed.value.toArray())
        #expect(adam.exportState() == restored.exportState())
    }

    @Test func stateForOtherParametersIsRejectedWithItsReason() throws {
        let adam = AdamW(parameters: [try parameter("w", [1, 2], gradient: [0, 0])])
        let wrongSize = OptimizerState(step: 1, buffers: ["m": [[0, 0, 0]], "v": [[0, 0, 0]]])
        #expect(throws: TensorError.self) { try adam.importState(wrongSize) }
        let sgdState = OptimizerState(step: 1, buffers: ["momentum": [[0, 0]]])
        #expect(throws: TensorError.optimizerStateMismatch(optimizer: "AdamW", reason: "the state has no 'm' buffers")) {
            try adam.importState(sgdState)
        }
        #expect(adam.stepCount == 0)
    }

    @Test func sgdWithMomentumFollowsTheVelocity() throws {
        let p = try parameter("w", [1], gradient: [0.5])
        let sgd = SGD(parameters: [p], configuration: .init(momentum: 0.9))
        sgd.step(learningRate: 0.1)  // b = 0.5, p = 1 - 0.05
        #expect(abs(p.value[0] - 0.95) < 1e-7)
        p.gradient[0] = 1
        sgd.step(learningRate: 0.1)  // b = 0.45 + 1 = 1.45, p = 0.95 - 0.145
        #expect(abs(p.value[0] - 0.805) < 1e-6)
        #expect(sgd.exportState().buffers["momentum"] == [[1.45]])
    }

    @Test func plainSGDStepsAgainstTheGradientWithL2Decay() throws {
        let p = try parameter("w", [2, -1], gradient: [1, 1])
        let sgd = SGD(parameters: [p], configuration: .init(momentum: 0, weightDecay: 0.5))
        sgd.step(learningRate: 0.1)  // g + 0.5 p = [2, 0.5]
        #expect(maxAbsDifference(p.value.toArray(), [1.8, -1.05]) < 1e-6)
    }

    @Test func cosineScheduleHitsPeakMidpointAndMinimum() {
        let schedule = LearningRateSchedule.cosine(peak: 1e-3, warmupSteps: 10, totalSteps: 110, minimum: 1e-4)
        #expect(abs(schedule.learningRate(atStep: 0) - 1e-4) < 1e-9)  // peak * 1/10
        #expect(abs(schedule.learningRate(atStep: 9) - 1e-3) < 1e-9)  // warmup's last step reaches the peak
        #expect(abs(schedule.learningRate(atStep: 10) - 1e-3) < 1e-9)
        #expect(abs(schedule.learningRate(atStep: 60) - 5.5e-4) < 1e-9)  // halfway: (peak + minimum) / 2
        #expect(abs(schedule.learningRate(atStep: 110) - 1e-4) < 1e-9)
        #expect(abs(schedule.learningRate(atStep: 500) - 1e-4) < 1e-9)
    }

    @Test func linearScheduleDecaysStraightToTheFinalRate() {
        let schedule = LearningRateSchedule.linear(peak: 2, warmupSteps: 4, totalSteps: 14, final: 0)
        #expect(schedule.learningRate(atStep: 1) == 1)
        #expect(schedule.learningRate(atStep: 4) == 2)
        #expect(abs(schedule.learningRate(atStep: 9) - 1) < 1e-6)
        #expect(schedule.learningRate(atStep: 14) == 0)
        #expect(LearningRateSchedule.constant(3e-4).learningRate(atStep: 12345) == 3e-4)
    }

    @Test func clippingScalesGradientsToTheMaximumGlobalNorm() throws {
        let a = try Tensor(shape: [2], values: [3, 0]), b = try Tensor(shape: [1], values: [4])  // norm 5
        let before = GradientClipping.clipByGlobalNorm([a, b], maxNorm: 1)
        #expect(abs(before - 5) < 1e-9)
        #expect(abs(GradientClipping.globalNorm([a, b]) - 1) < 1e-5)
        #expect(maxAbsDifference(a.toArray() + b.toArray(), [0.6, 0, 0.8]) < 1e-5)
    }

    @Test func clippingLeavesGradientsBelowTheMaximumUnchanged() throws {
        let a = try Tensor(shape: [2], values: [0.3, 0.4])
        GradientClipping.clipByGlobalNorm([a], maxNorm: 1)
        #expect(a.toArray() == [0.3, 0.4])
    }

    @Test func globalNormOfLargeBuffersMatchesDoubleSum() {
        let big = randomTensor([100_003], seed: 3), small = randomTensor([17], seed: 4)
        let expected = (big.toArray() + small.toArray()).reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(GradientClipping.globalNorm([big, small]) - expected) / expected < 1e-6)
    }

    @Test func zeroGradientsClearsEveryGradient() throws {
        let p = try parameter("w", [1, 2], gradient: [3, 4])
        SGD(parameters: [p]).zeroGradients()
        #expect(p.gradient.toArray() == [0, 0])
    }
}
