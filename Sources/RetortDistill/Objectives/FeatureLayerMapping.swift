// A layer mapping for feature distillation: pairs (student layer i ↔ teacher layer j) with weights,
// as in Patient KD (Sun et al. 2019) and TinyBERT (Jiao et al. 2020), L = Σ_pairs w · L_feature.
// Pairs whose widths differ go through a learned `FeatureProjection`.
import Foundation

public struct FeatureLayerPair: Sendable, Equatable {
    public var studentLayer: Int
    public var teacherLayer: Int
    public var weight: Double

    public init(studentLayer: Int, teacherLayer: Int, weight: Double = 1) {
        self.studentLayer = studentLayer
        self.teacherLayer = teacherLayer
        self.weight = weight
    }
}

public struct FeatureLayerMapping: Sendable {
    public let pairs: [FeatureLayerPair]
    public let objective: any FeatureObjective

    public init(pairs: [FeatureLayerPair], objective: any FeatureObjective) throws {
        guard !pairs.isEmpty else { throw ObjectiveError.invalidMixture(reason: "the layer mapping has no pairs") }
        for pair in pairs {
            if pair.studentLayer < 0 { throw ObjectiveError.layerOutOfRange(side: "student", layer: pair.studentLayer, count: 0) }
            if pair.teacherLayer < 0 { throw ObjectiveError.layerOutOfRange(side: "teacher", layer: pair.teacherLayer, count: 0) }
            if !(pair.weight.isFinite && pair.weight >= 0) {
                throw ObjectiveError.invalidMixture(reason: "layer pair weight \(pair.weight) must be finite and >= 0")
            }
        }
        self.pairs = pairs
        self.objective = objective
    }

    /// The "skip" mapping of Patient KD: student layer i (0-based) ↔ teacher layer
    /// ⌈(i + 1)·T / S⌉ − 1, so the last layers meet; every pair weighs 1/S.
    public static func uniform(studentLayers: Int, teacherLayers: Int, objective: any FeatureObjective) throws -> FeatureLayerMapping {
        guard studentLayers > 0, teacherLayers > 0 else {
            throw ObjectiveError.layerOutOfRange(side: studentLayers > 0 ? "teacher" : "student", layer: 0, count: 0)
        }
        let pairs = (0..<studentLayers).map { i in
            FeatureLayerPair(
                studentLayer: i, teacherLayer: ((i + 1) * teacherLayers + studentLayers - 1) / studentLayers - 1,
                weight: 1 / Double(studentLayers))
        }
        return try FeatureLayerMapping(pairs: pairs, objective: objective)
    }

    /// Evaluates every pair on rows `rows`. `studentLayers[i]` is [positions][studentWidth],
    /// `teacherLayers[j]` is [positions][teacherWidth]. Gradients are ADDED into
    /// `studentGradients[i]` (rows.count × studentWidth each; a layer in no pair is untouched),
    /// because they join the residual stream's gradient in the backward pass. `projections[p]` is
    /// the projection of pair p (needed when the widths differ); its parameter gradients accumulate
    /// `gradientScale` · d(Σ_p w_p lossSum_p)/d(parameters), the scale the caller applies to the
    /// student gradients when it adds them into the loss it minimizes.
    /// Returns lossSum = Σ_p w_p lossSum_p and the mask weight of the rows.
    public func evaluate(
        studentLayers: [UnsafeBufferPointer<Float>], teacherLayers: [UnsafeBufferPointer<Float>],
        positions: Int, studentWidth: Int, teacherWidth: Int, lossMask: UnsafeBufferPointer<Float>,
        rows: Range<Int>, studentGradients: [UnsafeMutableBufferPointer<Float>],
        projections: [FeatureProjection?] = [], gradientScale: Double = 1
    ) throws -> ObjectiveValue {
        if studentGradients.count != studentLayers.count {
            throw ObjectiveError.shapeMismatch(field: "student layer gradients", expected: studentLayers.count, actual: studentGradients.count)
        }
        if !projections.isEmpty && projections.count != pairs.count {
            throw ObjectiveError.shapeMismatch(field: "projections (one per pair)", expected: pairs.count, actual: projections.count)
        }
        var scratch = [Float](repeating: 0, count: rows.count * studentWidth)
        var lossSum = 0.0
        var weightSum = 0.0
        for (index, pair) in pairs.enumerated() {
            guard pair.studentLayer < studentLayers.count else {
                throw ObjectiveError.layerOutOfRange(side: "student", layer: pair.studentLayer, count: studentLayers.count)
            }
            guard pair.teacherLayer < teacherLayers.count else {
                throw ObjectiveError.layerOutOfRange(side: "teacher", layer: pair.teacherLayer, count: teacherLayers.count)
            }
            let batch = FeatureBatch(
                student: studentLayers[pair.studentLayer], teacher: teacherLayers[pair.teacherLayer], positions: positions,
                studentWidth: studentWidth, teacherWidth: teacherWidth, lossMask: lossMask)
            let projection = projections.isEmpty ? nil : projections[index]
            let value = try scratch.withUnsafeMutableBufferPointer { buffer in
                if let projection {
                    return try projection.evaluate(objective, batch: batch, rows: rows, studentGradient: buffer,
                                                   parameterScale: Float(gradientScale * pair.weight))
                }
                return try objective.evaluate(batch, rows: rows, gradient: buffer)
            }
            let target = studentGradients[pair.studentLayer]
            if target.count != scratch.count {
                throw ObjectiveError.shapeMismatch(
                    field: "gradient of student layer \(pair.studentLayer)", expected: scratch.count, actual: target.count)
            }
            let factor = Float(pair.weight)
            for i in 0..<scratch.count { target[i] += factor * scratch[i] }
            lossSum += pair.weight * value.lossSum
            weightSum = value.weightSum
        }
        return ObjectiveValue(lossSum: lossSum, weightSum: weightSum)
    }
}
