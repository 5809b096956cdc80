// The objectives reproduce reference values computed independently by numpy
// (Fixtures/make_objective_fixtures.py → Fixtures/objective_fixtures.json): mean loss, and the
// gradient of the mean loss, which numpy takes by float64 central differences.
import Foundation
import Testing
@testable import RetortDistill

struct ObjectiveFixtures: Decodable {
    struct TokenCase: Decodable {
        var objective: String
        var parameters: [String: Double]
        var form: String
        var temperature: Float
        var positions: Int
        var vocab: Int
        var logits: [Float]
        var teacher_logprobs: [Float]
        var mask: [Float]
        var targets: [Int32]
        var topk_ids: [[Int32]]?
        var topk_logprobs: [[Float]]?
        var k: Int?
        var loss: Double
        var gradient: [Double]
    }

    struct SequenceCase: Decodable {
        var objective: String
        var parameters: [String: Double]
        var count: Int
        var group_ids: [Int32]
        var ranks: [Int32]
        var lengths: [Int32]
        var logps: [Float]
        var reference_logps: [Float]
        var rewards: [Float]
        var old_logps: [Float]?
        var loss: Double
        var gradient: [Double]
    }

    struct FeatureCase: Decodable {
        var objective: String
        var parameters: [String: Double]
        var positions: Int
        var width: Int
        var student: [Float]
        var teacher: [Float]
        var mask: [Float]
        var loss: Double
        var gradient: [Double]
    }

    var token: [TokenCase]
    var sequence: [SequenceCase]
    var feature: [FeatureCase]

    /// Read next to this test file, not from bundle resources.
    static func load(filePath: String = #filePath) throws -> ObjectiveFixtures {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/objective_fixtures.json")
        return try JSONDecoder().decode(ObjectiveFixtures.self, from: Data(contentsOf: url))
    }
}

/// Loss to 1e-5 relative; gradient to 1e-5 of its largest component (float32 inputs and outputs).
func expectClose(loss: Double, expected: Double, gradient: [Float], expectedGradient: [Double], _ label: String) {
    #expect(abs(loss - expected) <= 1e-5 * max(1, abs(expected)), "\(label): loss \(loss) vs reference \(expected)")
    #expect(gradient.count == expectedGradient.count, "\(label): gradient size")
    let scale = max(expectedGradient.map(abs).max() ?? 0, 1e-3)
    let worst = zip(gradient, expectedGradient).map { abs(Double($0) - $1) }.max() ?? 0
    #expect(worst <= 1e-5 * scale, "\(label): gradient differs by \(worst) (scale \(scale))")
}

@Suite struct ReferenceValueTests {
    let fixtures: ObjectiveFixtures

    init() throws { fixtures = try ObjectiveFixtures.load() }

    @Test func fixturesCoverEveryObjective() {
        let covered = Set(fixtures.token.map(\.objective) + fixtures.sequence.map(\.objective) + fixtures.feature.map(\.objective))
        for name in ObjectiveRegistry.builtIn.names { #expect(covered.contains(name), "no reference value for \(name)") }
    }

    @Test func tokenObjectivesMatchNumpy() throws {
        for fixture in fixtures.token {
            let label = "\(fixture.objective) \(fixture.parameters) \(fixture.form) τ=\(fixture.temperature) k=\(fixture.k ?? 0)"
            let objective = try ObjectiveRegistry.builtIn.makeTokenObjective(fixture.objective, parameters: fixture.parameters)
            let sparse = fixture.form == "sparse"
            let ids = (fixture.topk_ids ?? []).flatMap { $0 }
            let topLogprobs = (fixture.topk_logprobs ?? []).flatMap { $0 }
            var gradient = [Float](repeating: 0, count: fixture.logits.count)
            let loss = try fixture.logits.withUnsafeBufferPointer { z in
                try fixture.teacher_logprobs.withUnsafeBufferPointer { dense in
                    try ids.withUnsafeBufferPointer { i in
                        try topLogprobs.withUnsafeBufferPointer { l in
                            try fixture.targets.withUnsafeBufferPointer { y in
                                try fixture.mask.withUnsafeBufferPointer { m in
                                    try gradient.withUnsafeMutableBufferPointer { g in
                                        let batch = TokenBatch(
                                            studentLogits: z, positions: fixture.positions, vocab: fixture.vocab, targets: y,
                                            lossMask: m, teacherLogprobs: sparse ? nil : dense,
                                            teacherTopKIds: sparse ? i : nil, teacherTopKLogprobs: sparse ? l : nil,
                                            teacherK: fixture.k ?? 0, temperature: fixture.temperature)
                                        return try objective.evaluateMean(batch, gradient: g)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            expectClose(loss: loss, expected: fixture.loss, gradient: gradient, expectedGradient: fixture.gradient, label)
        }
    }

    @Test func sequenceObjectivesMatchNumpy() throws {
        for fixture in fixtures.sequence {
            let label = "\(fixture.objective) \(fixture.parameters) old=\(fixture.old_logps != nil)"
            let objective = try ObjectiveRegistry.builtIn.makeSequenceObjective(fixture.objective, parameters: fixture.parameters)
            var gradient = [Float](repeating: 0, count: fixture.count)
            let old = fixture.old_logps ?? []
            let loss = try fixture.logps.withUnsafeBufferPointer { lp in
                try fixture.reference_logps.withUnsafeBufferPointer { ref in
                    try fixture.rewards.withUnsafeBufferPointer { r in
                        try fixture.group_ids.withUnsafeBufferPointer { gid in
                            try fixture.ranks.withUnsafeBufferPointer { rk in
                                try fixture.lengths.withUnsafeBufferPointer { len in
                                    try old.withUnsafeBufferPointer { o in
                                        try gradient.withUnsafeMutableBufferPointer { g in
                                            let batch = SequenceBatch(
                                                logps: lp, count: fixture.count, referenceLogps: ref, rewards: r,
                                                groupIds: gid, ranks: rk, lengths: len,
                                                oldLogps: fixture.old_logps == nil ? nil : o)
                                            return try objective.evaluateMean(batch, gradient: g)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            expectClose(loss: loss, expected: fixture.loss, gradient: gradient, expectedGradient: fixture.gradient, label)
        }
    }

    @Test func featureObjectivesMatchNumpy() throws {
        for fixture in fixtures.feature {
            let objective = try ObjectiveRegistry.builtIn.makeFeatureObjective(fixture.objective, parameters: fixture.parameters)
            var gradient = [Float](repeating: 0, count: fixture.student.count)
            let value = try fixture.student.withUnsafeBufferPointer { s in
                try fixture.teacher.withUnsafeBufferPointer { t in
                    try fixture.mask.withUnsafeBufferPointer { m in
                        try gradient.withUnsafeMutableBufferPointer { g in
                            let batch = FeatureBatch(
                                student: s, teacher: t, positions: fixture.positions, studentWidth: fixture.width,
                                teacherWidth: fixture.width, lossMask: m)
                            return try objective.evaluate(batch, rows: 0..<fixture.positions, gradient: g)
                        }
                    }
                }
            }
            let meanGradient = gradient.map { Float(Double($0) / value.weightSum) }
            expectClose(loss: value.loss, expected: fixture.loss, gradient: meanGradient, expectedGradient: fixture.gradient, fixture.objective)
        }
    }
}
