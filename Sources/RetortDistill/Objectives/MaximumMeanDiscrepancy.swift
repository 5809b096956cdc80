// Maximum mean discrepancy between the sets of student and teacher hidden states (Huang & Wang
// 2017, "Like What You Like: Knowledge Distill via Neuron Selectivity Transfer"), with a Gaussian
// kernel k(x, y) = exp(−‖x − y‖² / (2σ²)) and the biased (V-statistic) estimate
//     MMD² = Σ_ij w_i w_j [k(s_i, s_j) + k(t_i, t_j) − 2 k(s_i, t_j)],   w_i = m_i / Σ m,
// which is >= 0 and 0 when the two sets coincide. MMD is a statistic of a set, not of a position:
// it is computed over the rows of one call (one chunk) and reported as lossSum = (Σ m) · MMD²,
// weightSum = Σ m, so chunks combine as a mask-weighted mean of per-chunk MMD².
import Foundation

public struct MaximumMeanDiscrepancy: FeatureObjective {
    public let name = "mmd"
    /// The kernel bandwidth σ.
    public let bandwidth: Double

    public init(bandwidth: Double) throws {
        guard bandwidth.isFinite, bandwidth > 0 else {
            throw ObjectiveError.parameterOutOfRange(objective: "mmd", parameter: "bandwidth", value: bandwidth, allowed: "> 0")
        }
        self.bandwidth = bandwidth
    }

    private func kernel(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>) -> Double {
        var squared = 0.0
        for d in 0..<x.count {
            let difference = Double(x[d]) - Double(y[d])
            squared += difference * difference
        }
        return exp(-squared / (2 * bandwidth * bandwidth))
    }

    public func evaluate(_ batch: FeatureBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(rows: rows, gradientCount: gradient.count)
        let width = batch.studentWidth
        let members = rows.filter { batch.lossMask[$0] > 0 }
        let total = members.reduce(0.0) { $0 + Double(batch.lossMask[$1]) }
        gradient.update(repeating: 0)
        if total == 0 { return .zero }
        let weights = members.map { Double(batch.lossMask[$0]) / total }
        let sigmaSquare = bandwidth * bandwidth
        var mmd = 0.0
        var rowGradient = [Double](repeating: 0, count: width)
        for (a, rowA) in members.enumerated() {
            let studentA = batch.studentRow(rowA)
            for d in 0..<width { rowGradient[d] = 0 }
            for (b, rowB) in members.enumerated() {
                let pairWeight = weights[a] * weights[b]
                let studentB = batch.studentRow(rowB), teacherB = batch.teacherRow(rowB)
                let studentStudent = kernel(studentA, studentB)
                let studentTeacher = kernel(studentA, teacherB)
                mmd += pairWeight * (studentStudent + kernel(batch.teacherRow(rowA), teacherB) - 2 * studentTeacher)
                // ∂k(x, y)/∂x = −k (x − y)/σ²; the s–s term appears twice (i = a and j = a).
                for d in 0..<width {
                    let s = Double(studentA[d])
                    rowGradient[d] += pairWeight * (
                        -2 * studentStudent * (s - Double(studentB[d])) / sigmaSquare
                        + 2 * studentTeacher * (s - Double(teacherB[d])) / sigmaSquare)
                }
            }
            let start = (rowA - rows.lowerBound) * width
            for d in 0..<width { gradient[start + d] = Float(total * rowGradient[d]) }
        }
        if !mmd.isFinite { throw ObjectiveError.nonFiniteLoss(objective: name, position: rows.lowerBound) }
        return ObjectiveValue(lossSum: total * mmd, weightSum: total)
    }
}
