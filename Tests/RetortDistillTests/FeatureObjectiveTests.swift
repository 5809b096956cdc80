// Feature-level objectives: distances vanish for identical hidden states, cosine ignores scale, MMD
// is a set statistic, widths that differ need a projection, and layer mappings pair layers.
import Foundation
import Testing
@testable import RetortDistill

@Suite struct FeatureObjectiveTests {
    let objectives: [any FeatureObjective] = [HiddenStateMSE(), HiddenStateL1(), CosineDistance(), try! MaximumMeanDiscrepancy(bandwidth: 1)]

    @Test func distancesVanishForIdenticalHiddenStates() throws {
        var inputs = FeatureCheckInputs(positions: 5, studentWidth: 4, teacherWidth: 4, seed: 1)
        inputs.teacher = inputs.student
        for objective in objectives {
            var gradient: [Float] = []
            let value = try inputs.evaluate(objective, student: inputs.student, gradient: &gradient)
            #expect(abs(value.loss) < 1e-6, "\(objective.name)")
            #expect(gradient.allSatisfy { abs($0) < 1e-6 }, "\(objective.name)")
        }
    }

    @Test func cosineDistanceIgnoresTheStudentsScale() throws {
        let inputs = FeatureCheckInputs(positions: 5, studentWidth: 4, teacherWidth: 4, seed: 2)
        var g: [Float] = []
        let base = try inputs.evaluate(CosineDistance(), student: inputs.student, gradient: &g).loss
        let scaled = try inputs.evaluate(CosineDistance(), student: inputs.student.map { $0 * 3 }, gradient: &g).loss
        #expect(abs(base - scaled) < 1e-6 && base > 0 && base < 2)
    }

    @Test func mmdIsNonNegativeAndUnchangedByReorderingPositions() throws {
        let inputs = FeatureCheckInputs(positions: 4, studentWidth: 3, teacherWidth: 3, seed: 3)
        var g: [Float] = []
        let mmd = try MaximumMeanDiscrepancy(bandwidth: 1.5)
        let value = try inputs.evaluate(mmd, student: inputs.student, gradient: &g).loss
        // With equal weights, moving the teacher's rows around must not change the set statistic.
        var plain = inputs
        plain.mask = [1, 1, 1, 1]
        var shuffled = plain
        shuffled.teacher = Array(plain.teacher[9..<12] + plain.teacher[3..<9] + plain.teacher[0..<3])
        let a = try plain.evaluate(mmd, student: plain.student, gradient: &g).loss
        let b = try shuffled.evaluate(mmd, student: shuffled.student, gradient: &g).loss
        #expect(value > 0)
        #expect(abs(a - b) < 1e-12, "MMD compares sets: the teacher's order must not matter")
    }

    @Test func differentWidthsNeedAProjection() throws {
        let inputs = FeatureCheckInputs(positions: 3, studentWidth: 2, teacherWidth: 4, seed: 4)
        var g: [Float] = []
        #expect(throws: ObjectiveError.sizeMismatch(what: "hidden width", student: 2, teacher: 4)) {
            _ = try inputs.evaluate(HiddenStateMSE(), student: inputs.student, gradient: &g)
        }
        let projection = try FeatureProjection(studentWidth: 2, teacherWidth: 4)
        var studentGradient = [Float](repeating: 0, count: 3 * 2)
        let value = try inputs.student.withUnsafeBufferPointer { s in
            try inputs.teacher.withUnsafeBufferPointer { t in
                try inputs.mask.withUnsafeBufferPointer { m in
                    try studentGradient.withUnsafeMutableBufferPointer { out in
                        try projection.evaluate(
                            HiddenStateMSE(),
                            batch: FeatureBatch(student: s, teacher: t, positions: 3, studentWidth: 2, teacherWidth: 4, lossMask: m),
                            rows: 0..<3, studentGradient: out)
                    }
                }
            }
        }
        #expect(value.loss > 0)
        #expect(projection.weightGradient.contains { $0 != 0 } && studentGradient.contains { $0 != 0 })
    }

    @Test func anIdentityProjectionChangesNothing() throws {
        let inputs = FeatureCheckInputs(positions: 4, studentWidth: 3, teacherWidth: 3, seed: 5)
        let identity = try FeatureProjection(
            studentWidth: 3, teacherWidth: 3, weights: [1, 0, 0, 0, 1, 0, 0, 0, 1], bias: [0, 0, 0])
        var direct: [Float] = []
        let expected = try inputs.evaluate(CosineDistance(), student: inputs.student, rows: 1..<4, gradient: &direct)
        var projected = [Float](repeating: 0, count: 9)
        let value = try inputs.student.withUnsafeBufferPointer { s in
            try inputs.teacher.withUnsafeBufferPointer { t in
                try inputs.mask.withUnsafeBufferPointer { m in
                    try projected.withUnsafeMutableBufferPointer { out in
                        try identity.evaluate(
                            CosineDistance(),
                            batch: FeatureBatch(student: s, teacher: t, positions: 4, studentWidth: 3, teacherWidth: 3, lossMask: m),
                            rows: 1..<4, studentGradient: out)
                    }
                }
            }
        }
        #expect(abs(value.lossSum - expected.lossSum) < 1e-9)
        #expect(maxDifference(projected, direct) < 1e-7)
    }

    @Test func uniformLayerMappingPairsTheLastLayersAndSplitsTheWeight() throws {
        let mapping = try FeatureLayerMapping.uniform(studentLayers: 3, teacherLayers: 6, objective: HiddenStateMSE())
        #expect(mapping.pairs.map(\.studentLayer) == [0, 1, 2])
        #expect(mapping.pairs.map(\.teacherLayer) == [1, 3, 5])
        #expect(mapping.pairs.allSatisfy { abs($0.weight - 1.0 / 3) < 1e-15 })
    }

    @Test func layerMappingRefusesLayersThatWereNotGiven() throws {
        let mapping = try FeatureLayerMapping(pairs: [FeatureLayerPair(studentLayer: 0, teacherLayer: 5)], objective: HiddenStateMSE())
        let values: [Float] = [0, 1, 2, 3]
        let mask: [Float] = [1, 1]
        var gradient = [Float](repeating: 0, count: 4)
        #expect(throws: ObjectiveError.layerOutOfRange(side: "teacher", layer: 5, count: 1)) {
            try values.withUnsafeBufferPointer { v in
                try mask.withUnsafeBufferPointer { m in
                    try gradient.withUnsafeMutableBufferPointer { g in
                        _ = try mapping.evaluate(
                            studentLayers: [v], teacherLayers: [v], positions: 2, studentWidth: 2, teacherWidth: 2,
                            lossMask: m, rows: 0..<2, studentGradients: [g])
                    }
                }
            }
        }
    }

    @Test func nonFiniteHiddenStatesAreRefused() throws {
        var inputs = FeatureCheckInputs(positions: 2, studentWidth: 2, teacherWidth: 2, seed: 6)
        inputs.student[3] = .nan
        var g: [Float] = []
        #expect(throws: ObjectiveError.self) { _ = try inputs.evaluate(HiddenStateMSE(), student: inputs.student, gradient: &g) }
    }
}
