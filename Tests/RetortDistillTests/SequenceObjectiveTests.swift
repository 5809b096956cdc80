// Sequence-level objectives (Bradley–Terry, DPO, RRHF, PRO, policy gradient): known values at
// simple points, the direction of their gradients, and the inputs they refuse.
import Foundation
import Testing
@testable import RetortDistill

/// Evaluates with plain arrays; returns the mean loss and the gradient of the mean.
func sequenceMean(
    _ objective: any SequenceObjective, logps: [Float], reference: [Float]? = nil, rewards: [Float]? = nil,
    groups: [Int32]? = nil, ranks: [Int32]? = nil, lengths: [Int32]? = nil, old: [Float]? = nil
) throws -> (loss: Double, gradient: [Float]) {
    var gradient = [Float](repeating: .nan, count: logps.count)
    func view<T>(_ array: [T]?, _ body: (UnsafeBufferPointer<T>?) throws -> Double) rethrows -> Double {
        guard let array else { return try body(nil) }
        return try array.withUnsafeBufferPointer { try body($0) }
    }
    let loss = try logps.withUnsafeBufferPointer { lp in
        try view(reference) { ref in
            try view(rewards) { r in
                try view(groups) { g in
                    try view(ranks) { rk in
                        try view(lengths) { len in
                            try view(old) { o in
                                try gradient.withUnsafeMutableBufferPointer { out in
                                    try objective.evaluateMean(
                                        SequenceBatch(
                                            logps: lp, count: logps.count, referenceLogps: ref, rewards: r, groupIds: g,
                                            ranks: rk, lengths: len, oldLogps: o),
                                        gradient: out)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return (loss, gradient)
}

@Suite struct SequenceObjectiveTests {
    @Test func dpoLossIsLogTwoWhenLogRatiosAreEqual() throws {
        let dpo = try DirectPreferenceOptimization(beta: 0.1)
        // Both answers moved by the same amount from the reference.
        let result = try sequenceMean(dpo, logps: [-10, -14], reference: [-12, -16], groups: [0, 0], ranks: [0, 1])
        #expect(abs(result.loss - log(2.0)) < 1e-12)
        // Gradient −β/2 on the chosen, +β/2 on the rejected.
        #expect(abs(Double(result.gradient[0]) + 0.05) < 1e-7 && abs(Double(result.gradient[1]) - 0.05) < 1e-7)
    }

    @Test func dpoLossFallsWhenTheChosenAnswerGainsOverTheReference() throws {
        let dpo = try DirectPreferenceOptimization(beta: 0.5)
        let before = try sequenceMean(dpo, logps: [-10, -10], reference: [-10, -10], groups: [0, 0], ranks: [0, 1]).loss
        let after = try sequenceMean(dpo, logps: [-8, -10], reference: [-10, -10], groups: [0, 0], ranks: [0, 1]).loss
        #expect(after < before)
        // With no ranks, rewards order the pair (higher = chosen): same value as ranks [0, 1].
        let byReward = try sequenceMean(dpo, logps: [-8, -10], reference: [-10, -10], rewards: [1, 0], groups: [0, 0]).loss
        #expect(byReward == after)
    }

    @Test func bradleyTerryIsLogTwoForEqualRewardsAndDifferentiatesRewards() throws {
        let model = BradleyTerryRewardModel()
        #expect(model.gradientInput == .rewards)
        let equal = try sequenceMean(model, logps: [0, 0], rewards: [0.3, 0.3], groups: [0, 0], ranks: [1, 0])
        #expect(abs(equal.loss - log(2.0)) < 1e-7)
        #expect(equal.gradient[1] < 0 && equal.gradient[0] > 0, "raising the better answer's reward must lower the loss")
    }

    @Test func rrhfChargesOnlyMisorderedPairsPlusTheFineTuningTerm() throws {
        let rrhf = try RankResponsesHumanFeedback(sftWeight: 1)
        // Scores p = logp/len: best −1, middle −2, worst −3: correctly ordered, only L_ft = 4 remains.
        let ordered = try sequenceMean(rrhf, logps: [-4, -6, -6], groups: [0, 0, 0], ranks: [0, 1, 2], lengths: [4, 3, 2])
        #expect(abs(ordered.loss - 4) < 1e-9)
        // Swap the worst to score −0.5 (above both): hinge (−0.5 − (−1)) + (−0.5 − (−2)) = 2.
        let misordered = try sequenceMean(rrhf, logps: [-4, -6, -1], groups: [0, 0, 0], ranks: [0, 1, 2], lengths: [4, 3, 2])
        #expect(abs(misordered.loss - 6) < 1e-9)
        #expect(misordered.gradient[2] > 0)
    }

    @Test func proWithTwoAnswersIsLogisticOnScoresPlusSFT() throws {
        let pro = try PreferenceRankingOptimization(sftWeight: 0.05)
        let result = try sequenceMean(pro, logps: [-6, -12], groups: [7, 7], ranks: [0, 1], lengths: [3, 4])
        let (best, worse) = (-2.0, -3.0)
        let expected = log(1 + exp(worse - best)) + 0.05 * -best
        #expect(abs(result.loss - expected) < 1e-9)
    }

    @Test func proOrdersByRankNotByBatchPosition() throws {
        let pro = try PreferenceRankingOptimization(sftWeight: 0)
        let a = try sequenceMean(pro, logps: [-1, -2, -3], groups: [0, 0, 0], ranks: [0, 1, 2], lengths: [1, 1, 1])
        let b = try sequenceMean(pro, logps: [-3, -1, -2], groups: [0, 0, 0], ranks: [2, 0, 1], lengths: [1, 1, 1])
        #expect(abs(a.loss - b.loss) < 1e-12)
    }

    @Test func policyGradientVanishesWithEqualRewardsAndTheReferencePolicy() throws {
        let pg = try PolicyGradient(klCoefficient: 0.1, clipEpsilon: 0.2)
        let result = try sequenceMean(pg, logps: [-5, -7, -9], reference: [-5, -7, -9], rewards: [1, 1, 1], groups: [0, 0, 0])
        #expect(result.loss == 0 && result.gradient.allSatisfy { $0 == 0 })
        // A better-than-average answer gets a negative gradient (its log-prob should rise).
        let uneven = try sequenceMean(pg, logps: [-5, -7], reference: [-5, -7], rewards: [2, 0], groups: [0, 0])
        #expect(uneven.gradient[0] < 0 && uneven.gradient[1] > 0)
    }

    @Test func ppoClippingStopsTheGradientOutsideTheTrustRegion() throws {
        let pg = try PolicyGradient(klCoefficient: 0, clipEpsilon: 0.2)
        // Advantage +1 and ratio e^0.5 > 1.2: clipped, no gradient. Advantage −1 at the same ratio: unclipped.
        let result = try sequenceMean(pg, logps: [-4.5, -4.5], rewards: [1, -1], groups: [0, 0], old: [-5, -5])
        #expect(result.gradient[0] == 0)
        #expect(abs(Double(result.gradient[1]) - exp(0.5) / 2) < 1e-6)
    }

    @Test func rankingObjectivesRefuseGroupsWithoutAPreference() throws {
        let dpo = try DirectPreferenceOptimization(beta: 0.1)
        #expect(throws: ObjectiveError.invalidGroup(
            objective: "dpo", group: 4,
            reason: "has 1 sequence(s) and no two of different preference; a ranking needs at least one better and one worse answer")
        ) {
            _ = try sequenceMean(dpo, logps: [-1, -2, -3], reference: [-1, -2, -3], groups: [0, 0, 4], ranks: [0, 1, 0])
        }
        #expect(throws: ObjectiveError.missingInput(objective: "dpo", input: "reference_logps (the frozen reference model)")) {
            _ = try sequenceMean(dpo, logps: [-1, -2], groups: [0, 0], ranks: [0, 1])
        }
        #expect(throws: ObjectiveError.invalidLength(objective: "rrhf", sequence: 1, length: 0)) {
            _ = try sequenceMean(try RankResponsesHumanFeedback(sftWeight: 1), logps: [-1, -2], groups: [0, 0], ranks: [0, 1], lengths: [3, 0])
        }
        #expect(throws: ObjectiveError.nonFiniteValue(field: "logps", index: 1, value: .infinity)) {
            _ = try sequenceMean(dpo, logps: [-1, .infinity], reference: [0, 0], groups: [0, 0], ranks: [0, 1])
        }
    }

    @Test func sequenceMixturesAverageEachPartAndRefuseMixedInputs() throws {
        let dpo = try DirectPreferenceOptimization(beta: 0.1)
        let rrhf = try RankResponsesHumanFeedback(sftWeight: 1)
        let mixture = try SequenceObjectiveMixture([.init(weight: 1, objective: dpo), .init(weight: 0.5, objective: rrhf)])
        let args = (logps: [Float(-4), -6, -3, -5], reference: [Float(-5), -5, -4, -4], groups: [Int32(0), 0, 1, 1], ranks: [Int32(0), 1, 1, 0], lengths: [Int32(2), 3, 4, 5])
        let whole = try sequenceMean(mixture, logps: args.logps, reference: args.reference, groups: args.groups, ranks: args.ranks, lengths: args.lengths)
        let a = try sequenceMean(dpo, logps: args.logps, reference: args.reference, groups: args.groups, ranks: args.ranks, lengths: args.lengths)
        let b = try sequenceMean(rrhf, logps: args.logps, reference: args.reference, groups: args.groups, ranks: args.ranks, lengths: args.lengths)
        #expect(abs(whole.loss - (a.loss + 0.5 * b.loss)) < 1e-9)
        #expect(maxDifference(whole.gradient, zip(a.gradient, b.gradient).map { $0 + 0.5 * $1 }) < 1e-6)
        #expect(throws: ObjectiveError.self) {
            _ = try SequenceObjectiveMixture([.init(weight: 1, objective: dpo), .init(weight: 1, objective: BradleyTerryRewardModel())])
        }
    }
}
