// Finite-difference checks of every objective's gradient, callable by name (the tests run them,
// and `retort check gradients` prints them). Each perturbs every input the objective
// differentiates by ±h with h = 2⁻¹⁰ (exactly representable, so the perturbation is exact in
// Float), takes the central difference of the double-precision loss sum, and reports the worst
// error relative to the largest gradient component: max_j |analytic_j − numeric_j| / max_j |numeric_j|.
import Foundation
import RetortTensor

public enum ObjectiveGradientChecks {
    public static let step = 1.0 / 1024
    public static let defaultTolerance = 1e-4

    public static var all: [GradientCheckItem] { token + sequence + feature }

    public static var token: [GradientCheckItem] {
        let jsd = { (beta: Double) in try! GeneralizedJSD(beta: beta) }
        let divergences: [(String, any TokenObjective)] = [
            ("forward-kl", ForwardKL()), ("reverse-kl", ReverseKL()), ("jsd β=0.3", jsd(0.3)),
            ("jsd β=0", jsd(0)), ("jsd β=1", jsd(1)), ("tvd", TotalVariationDistance()),
            ("skew-forward-kl α=0.1", try! SkewForwardKL(alpha: 0.1)),
            ("skew-reverse-kl α=0.1", try! SkewReverseKL(alpha: 0.1)),
        ]
        var checks = [GradientCheckItem(name: "sft", tolerance: defaultTolerance) {
            tokenCheck(TeacherTextCrossEntropy(), teacher: .dense, temperature: 1.5)
        }]
        for (name, objective) in divergences {
            checks.append(GradientCheckItem(name: "\(name) dense τ=1.5", tolerance: defaultTolerance) {
                tokenCheck(objective, teacher: .dense, temperature: 1.5)
            })
            checks.append(GradientCheckItem(name: "\(name) sparse k=3 τ=1.5", tolerance: defaultTolerance) {
                tokenCheck(objective, teacher: .sparse(k: 3), temperature: 1.5)
            })
        }
        checks.append(GradientCheckItem(name: "forward-kl sparse k=3 τ=1", tolerance: defaultTolerance) {
            tokenCheck(ForwardKL(), teacher: .sparse(k: 3), temperature: 1)
        })
        checks.append(GradientCheckItem(name: "mixture 0.5·sft + 0.5·reverse-kl sparse", tolerance: defaultTolerance) {
            let mixture = try! TokenObjectiveMixture([
                .init(weight: 0.5, objective: TeacherTextCrossEntropy()), .init(weight: 0.5, objective: ReverseKL()),
            ])
            return tokenCheck(mixture, teacher: .sparse(k: 3), temperature: 2)
        })
        return checks
    }

    public static var sequence: [GradientCheckItem] {
        [
            GradientCheckItem(name: "bradley-terry", tolerance: defaultTolerance) { sequenceCheck(BradleyTerryRewardModel()) },
            GradientCheckItem(name: "dpo β=0.1", tolerance: defaultTolerance) { sequenceCheck(try! DirectPreferenceOptimization(beta: 0.1)) },
            GradientCheckItem(name: "rrhf", tolerance: defaultTolerance) { sequenceCheck(try! RankResponsesHumanFeedback(sftWeight: 1)) },
            GradientCheckItem(name: "pro", tolerance: defaultTolerance) { sequenceCheck(try! PreferenceRankingOptimization(sftWeight: 0.05)) },
            GradientCheckItem(name: "policy-gradient reinforce", tolerance: defaultTolerance) {
                sequenceCheck(try! PolicyGradient(klCoefficient: 0.1, clipEpsilon: 0.2))
            },
            GradientCheckItem(name: "policy-gradient ppo-clip", tolerance: defaultTolerance) {
                sequenceCheck(try! PolicyGradient(klCoefficient: 0.1, clipEpsilon: 0.2), withOldLogps: true)
            },
            GradientCheckItem(name: "mixture dpo + 0.1·rrhf", tolerance: defaultTolerance) {
                sequenceCheck(try! SequenceObjectiveMixture([
                    .init(weight: 1, objective: try! DirectPreferenceOptimization(beta: 0.5)),
                    .init(weight: 0.1, objective: try! RankResponsesHumanFeedback(sftWeight: 1)),
                ]))
            },
        ]
    }

    public static var feature: [GradientCheckItem] {
        [
            GradientCheckItem(name: "mse", tolerance: defaultTolerance) { featureCheck(HiddenStateMSE()) },
            GradientCheckItem(name: "l1", tolerance: defaultTolerance) { featureCheck(HiddenStateL1()) },
            GradientCheckItem(name: "cosine", tolerance: defaultTolerance) { featureCheck(CosineDistance()) },
            GradientCheckItem(name: "mmd σ=2", tolerance: defaultTolerance) { featureCheck(try! MaximumMeanDiscrepancy(bandwidth: 2)) },
            GradientCheckItem(name: "projection 3→5 (hidden states)", tolerance: defaultTolerance) { projectionCheck(parameters: false) },
            GradientCheckItem(name: "projection 3→5 (weights, bias)", tolerance: defaultTolerance) { projectionCheck(parameters: true) },
            GradientCheckItem(name: "layer mapping 3↔4 layers", tolerance: defaultTolerance) { layerMappingCheck() },
        ]
    }

    // MARK: - Comparison

    /// max_j |a_j − n_j| / max_j |n_j| (absolute error when the numeric gradient is all zero).
    static func worstRelativeError(analytic: [Double], numeric: [Double]) -> Double {
        guard analytic.count == numeric.count else { return .infinity }
        var worst = 0.0, scale = 0.0
        for index in analytic.indices {
            if !analytic[index].isFinite || !numeric[index].isFinite { return .infinity }
            worst = max(worst, abs(analytic[index] - numeric[index]))
            scale = max(scale, abs(numeric[index]))
        }
        return scale > 0 ? worst / scale : worst
    }

    /// Central differences of `loss` with respect to each element of `values`.
    static func numericGradient(_ values: [Float], loss: ([Float]) throws -> Double) rethrows -> [Double] {
        var probe = values
        var result = [Double](repeating: 0, count: values.count)
        let h = Float(step)
        for index in values.indices {
            probe[index] = values[index] + h
            let up = try loss(probe)
            probe[index] = values[index] - h
            let down = try loss(probe)
            probe[index] = values[index]
            result[index] = (up - down) / (2 * step)
        }
        return result
    }

    // MARK: - Token level

    enum TeacherForm { case dense, sparse(k: Int) }

    static func tokenCheck(_ objective: any TokenObjective, teacher: TeacherForm, temperature: Float) -> Double {
        let inputs = TokenCheckInputs(positions: 4, vocab: 7, seed: 11)
        let k: Int? = if case .sparse(let k) = teacher { k } else { nil }
        do {
            var analytic = [Float](repeating: 0, count: inputs.logits.count)
            _ = try inputs.evaluate(objective, logits: inputs.logits, sparseK: k, temperature: temperature, gradient: &analytic)
            var scratch = analytic
            let numeric = try numericGradient(inputs.logits) {
                try inputs.evaluate(objective, logits: $0, sparseK: k, temperature: temperature, gradient: &scratch).lossSum
            }
            return worstRelativeError(analytic: analytic.map(Double.init), numeric: numeric)
        } catch {
            return .infinity
        }
    }

    // MARK: - Sequence level

    static func sequenceCheck(_ objective: any SequenceObjective, withOldLogps: Bool = false) -> Double {
        let inputs = SequenceCheckInputs(seed: 5)
        do {
            var analytic = [Float](repeating: 0, count: inputs.count)
            let differentiated = objective.gradientInput == .logps ? inputs.logps : inputs.rewards
            _ = try inputs.evaluate(objective, differentiated: differentiated, withOldLogps: withOldLogps, gradient: &analytic)
            var scratch = analytic
            let numeric = try numericGradient(differentiated) {
                try inputs.evaluate(objective, differentiated: $0, withOldLogps: withOldLogps, gradient: &scratch).lossSum
            }
            return worstRelativeError(analytic: analytic.map(Double.init), numeric: numeric)
        } catch {
            return .infinity
        }
    }

    // MARK: - Feature level

    static func featureCheck(_ objective: any FeatureObjective) -> Double {
        let inputs = FeatureCheckInputs(positions: 5, studentWidth: 4, teacherWidth: 4, seed: 3)
        do {
            var analytic = [Float](repeating: 0, count: inputs.student.count)
            _ = try inputs.evaluate(objective, student: inputs.student, gradient: &analytic)
            var scratch = analytic
            let numeric = try numericGradient(inputs.student) {
                try inputs.evaluate(objective, student: $0, gradient: &scratch).lossSum
            }
            return worstRelativeError(analytic: analytic.map(Double.init), numeric: numeric)
        } catch {
            return .infinity
        }
    }

    static func projectionCheck(parameters: Bool) -> Double {
        let inputs = FeatureCheckInputs(positions: 4, studentWidth: 3, teacherWidth: 5, seed: 9)
        let objective = CosineDistance()
        do {
            let base = try FeatureProjection(studentWidth: 3, teacherWidth: 5, seed: 21)
            base.bias = (0..<5).map { Float($0) / 8 - 0.25 }
            func loss(student: [Float], weights: [Float], bias: [Float], studentGradient: inout [Float]) throws -> (Double, FeatureProjection) {
                let projection = try FeatureProjection(studentWidth: 3, teacherWidth: 5, weights: weights, bias: bias)
                let value = try student.withUnsafeBufferPointer { s in
                    try inputs.teacher.withUnsafeBufferPointer { t in
                        try inputs.mask.withUnsafeBufferPointer { m in
                            try studentGradient.withUnsafeMutableBufferPointer { g in
                                let batch = FeatureBatch(student: s, teacher: t, positions: 4, studentWidth: 3, teacherWidth: 5, lossMask: m)
                                return try projection.evaluate(objective, batch: batch, rows: 1..<4, studentGradient: g)
                            }
                        }
                    }
                }
                return (value.lossSum, projection)
            }
            var studentGradient = [Float](repeating: 0, count: 3 * 3)
            let (_, projection) = try loss(student: inputs.student, weights: base.weights, bias: base.bias, studentGradient: &studentGradient)
            var scratch = studentGradient
            if !parameters {
                let numeric = try numericGradient(inputs.student) {
                    try loss(student: $0, weights: base.weights, bias: base.bias, studentGradient: &scratch).0
                }
                // Rows outside 1..<4 have no gradient; compare the evaluated rows only.
                return worstRelativeError(analytic: studentGradient.map(Double.init), numeric: Array(numeric[3..<12]))
            }
            let numericWeights = try numericGradient(base.weights) {
                try loss(student: inputs.student, weights: $0, bias: base.bias, studentGradient: &scratch).0
            }
            let numericBias = try numericGradient(base.bias) {
                try loss(student: inputs.student, weights: base.weights, bias: $0, studentGradient: &scratch).0
            }
            return worstRelativeError(
                analytic: (projection.weightGradient + projection.biasGradient).map(Double.init),
                numeric: numericWeights + numericBias)
        } catch {
            return .infinity
        }
    }

    static func layerMappingCheck() -> Double {
        let width = 3, positions = 4
        var generator = ObjectiveSplitMix64(seed: 77)
        let studentLayers = (0..<3).map { _ in (0..<(positions * width)).map { _ in Float(generator.nextUniform(in: -1...1)) } }
        let teacherLayers = (0..<4).map { _ in (0..<(positions * width)).map { _ in Float(generator.nextUniform(in: -1...1)) } }
        let mask: [Float] = [1, 0.5, 0, 2]
        do {
            let mapping = try FeatureLayerMapping.uniform(studentLayers: 3, teacherLayers: 4, objective: HiddenStateMSE())
            func loss(_ flat: [Float], gradients: inout [[Float]]) throws -> Double {
                let layers = (0..<3).map { Array(flat[($0 * positions * width)..<(($0 + 1) * positions * width)]) }
                for index in gradients.indices { gradients[index] = [Float](repeating: 0, count: positions * width) }
                let students = layers.map { copy($0) }, teachers = teacherLayers.map { copy($0) }
                let grads = gradients.map { copyMutable($0) }
                defer {
                    for index in gradients.indices { gradients[index] = Array(grads[index]) }
                    (students + teachers).forEach { $0.deallocate() }
                    grads.forEach { $0.deallocate() }
                }
                return try mask.withUnsafeBufferPointer { m in
                    try mapping.evaluate(
                        studentLayers: students, teacherLayers: teachers, positions: positions, studentWidth: width,
                        teacherWidth: width, lossMask: m, rows: 0..<positions, studentGradients: grads
                    ).lossSum
                }
            }
            var analytic = [[Float]](repeating: [], count: 3)
            _ = try loss(studentLayers.flatMap { $0 }, gradients: &analytic)
            var scratch = analytic
            let numeric = try numericGradient(studentLayers.flatMap { $0 }) { try loss($0, gradients: &scratch) }
            return worstRelativeError(analytic: analytic.flatMap { $0 }.map(Double.init), numeric: numeric)
        } catch {
            return .infinity
        }
    }

    private static func copy(_ values: [Float]) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(copyMutable(values))
    }

    private static func copyMutable(_ values: [Float]) -> UnsafeMutableBufferPointer<Float> {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: values.count)
        _ = buffer.initialize(from: values)
        return buffer
    }
}
