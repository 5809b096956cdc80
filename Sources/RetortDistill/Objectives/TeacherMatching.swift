// The shared engine of every objective that matches the student's next-token distribution to the
// teacher's (forward/reverse KL, generalized JSD, TVD, skew KL): temperature, dense or sparse
// teacher, the "other" bucket of a sparse teacher, and dL/dlogits through the softmax.
//
// Conventions (they hold for every objective built on this file):
// - Temperature. p_S = softmax(z / τ). A dense teacher becomes p_T ∝ exp(log p_T / τ), renormalized.
//   The per-position loss is τ² · D(p_T, p_S) (Hinton et al. 2015), so gradient magnitudes stay
//   comparable across temperatures; at τ = 1 it is plainly D.
// - Sparse teacher. A position gives top-k ids with log-probabilities; the remaining mass
//   r = 1 − Σ exp(top-k) belongs to the other V − k ids. D is computed on the k + 1 outcomes
//   {id_1, …, id_k, other}: the teacher's "other" bucket holds r and the student's holds its summed
//   probability over the non-top-k ids. No [vocab] teacher row is ever built. Under temperature
//   the bucket is tempered as if r were spread evenly over the V − k ids, which gives
//   (V − k)^(1 − 1/τ) · r^(1/τ) before renormalization. r is floored at `restMassFloor` so reverse
//   divergences stay finite when the top-k mass rounds to 1. With k = V there is no bucket and the
//   result equals the dense one. Top-k mass above 1 + `topKMassTolerance` is an error.
// - Every divergence here is a sum over outcomes, D = Σ_o φ(t_o, s_o). An objective supplies
//   φ and s·∂φ/∂s for one outcome; the engine applies dD/dz_j = (1/τ)(h_j − s_j Σ_o h_o) with
//   h = s·∂φ/∂s (members of the "other" bucket share its h in proportion to their probability).
import Foundation

/// One outcome's share of a divergence D(p_T, p_S) = Σ_o φ(t_o, s_o).
public struct DivergenceTerm: Sendable {
    /// φ(t, s).
    public var value: Double
    /// s · ∂φ/∂s, the quantity the softmax backward needs.
    public var studentSlope: Double

    public init(value: Double, studentSlope: Double) {
        self.value = value
        self.studentSlope = studentSlope
    }
}

/// An objective that compares the student's distribution with the teacher's, position by position.
public protocol TeacherMatchingObjective: GradientAccumulatingTokenObjective {
    /// φ and s·∂φ/∂s for one outcome, given log t and log s (log t may be −∞ for probability 0,
    /// log s may be −∞ when the student's probability underflows).
    func divergenceTerm(logTeacher: Double, logStudent: Double) -> DivergenceTerm
}

public enum SparseTeacher {
    /// The smallest mass the "other" bucket of a sparse teacher is given.
    public static let restMassFloor = 1e-8
    /// How far above 1 the top-k probabilities may sum (rounding in teacher APIs) before it is an error.
    public static let topKMassTolerance = 1e-3
}

/// Per-worker scratch rows for the engine.
struct TeacherMatchingScratch {
    var student: [Double]
    var slopes: [Double]
    var slots: [Int32]

    init(vocab: Int) {
        student = [Double](repeating: 0, count: vocab)
        slopes = [Double](repeating: 0, count: vocab + 1)
        slots = [Int32](repeating: -1, count: vocab)
    }
}

extension TeacherMatchingObjective {
    public func accumulate(
        _ batch: TokenBatch, rows: Range<Int>, into gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) throws -> ObjectiveValue {
        try batch.validateShape(rows: rows, gradientCount: gradient.count)
        let tau = Double(batch.temperature)
        let vocab = batch.vocab
        let teacher = batch.teacher
        if case .none = teacher {
            throw ObjectiveError.missingInput(
                objective: name, input: "a teacher distribution (teacher_logprobs, or teacher_topk_ids with teacher_topk_logprobs)")
        }
        var weightSum = 0.0
        for row in rows { weightSum += try batch.weight(at: row) }

        let losses = try RowParallel.map(
            rows, elementsPerRow: vocab, makeScratch: { TeacherMatchingScratch(vocab: vocab) }
        ) { row, scratch in
            let weight = Double(batch.lossMask[row])
            let logits = UnsafeBufferPointer(rebasing: batch.studentLogits[(row * vocab)..<((row + 1) * vocab)])
            let start = (row - rows.lowerBound) * vocab
            let out = UnsafeMutableBufferPointer(rebasing: gradient[start..<(start + vocab)])
            // d(weight · τ² · D)/dz = weight · τ · (h − s H).
            let coefficient = scale * weight * tau
            let divergence: Double
            switch teacher {
            case .dense(let logprobs):
                if weight == 0 { return 0 }
                let teacherRow = UnsafeBufferPointer(rebasing: logprobs[(row * vocab)..<((row + 1) * vocab)])
                divergence = try denseRow(
                    row: row, logits: logits, teacher: teacherRow, tau: tau, coefficient: coefficient,
                    out: out, scratch: &scratch)
            case .sparse(let ids, let logprobs, let k):
                divergence = try sparseRow(
                    row: row, weight: weight, logits: logits,
                    ids: UnsafeBufferPointer(rebasing: ids[(row * k)..<((row + 1) * k)]),
                    logprobs: UnsafeBufferPointer(rebasing: logprobs[(row * k)..<((row + 1) * k)]),
                    tau: tau, coefficient: coefficient, out: out, scratch: &scratch)
            case .none:
                return 0
            }
            let loss = weight * tau * tau * divergence
            if !loss.isFinite { throw ObjectiveError.nonFiniteLoss(objective: name, position: row) }
            return loss
        }
        return ObjectiveValue(lossSum: losses.reduce(0, +), weightSum: weightSum)
    }

    /// Student logits checked finite, divided by τ, into `scaled`; returns their maximum.
    private func loadStudent(
        row: Int, logits: UnsafeBufferPointer<Float>, tau: Double, scaled: UnsafeMutableBufferPointer<Double>
    ) throws -> Double {
        var maximum = -Double.infinity
        for j in 0..<logits.count {
            let z = Double(logits[j])
            if !z.isFinite {
                throw ObjectiveError.nonFiniteValue(field: "student_logits", index: row * logits.count + j, value: z)
            }
            scaled[j] = z / tau
            maximum = max(maximum, scaled[j])
        }
        return maximum
    }

    /// One position against a dense teacher row; adds into `out` and returns D.
    private func denseRow(
        row: Int, logits: UnsafeBufferPointer<Float>, teacher: UnsafeBufferPointer<Float>, tau: Double,
        coefficient: Double, out: UnsafeMutableBufferPointer<Float>, scratch: inout TeacherMatchingScratch
    ) throws -> Double {
        let vocab = logits.count
        return try scratch.student.withUnsafeMutableBufferPointer { student in
            try scratch.slopes.withUnsafeMutableBufferPointer { tempered in
                let studentMax = try loadStudent(row: row, logits: logits, tau: tau, scaled: student)
                var teacherMax = -Double.infinity
                for j in 0..<vocab {
                    let l = Double(teacher[j])
                    if l.isNaN || l == .infinity {
                        throw ObjectiveError.nonFiniteValue(field: "teacher_logprobs", index: row * vocab + j, value: l)
                    }
                    tempered[j] = l / tau
                    teacherMax = max(teacherMax, tempered[j])
                }
                if teacherMax == -.infinity {
                    throw ObjectiveError.nonFiniteValue(field: "teacher_logprobs", index: row * vocab, value: -.infinity)
                }
                var studentSum = 0.0, teacherSum = 0.0
                for j in 0..<vocab {
                    studentSum += exp(student[j] - studentMax)
                    teacherSum += exp(tempered[j] - teacherMax)
                }
                let studentLogNorm = studentMax + log(studentSum)
                let teacherLogNorm = teacherMax + log(teacherSum)
                var divergence = 0.0, slopeSum = 0.0
                for j in 0..<vocab {
                    let logS = student[j] - studentLogNorm
                    let term = divergenceTerm(logTeacher: tempered[j] - teacherLogNorm, logStudent: logS)
                    divergence += term.value
                    slopeSum += term.studentSlope
                    student[j] = logS
                    tempered[j] = term.studentSlope
                }
                for j in 0..<vocab {
                    out[j] += Float(coefficient * (tempered[j] - exp(student[j]) * slopeSum))
                }
                return divergence
            }
        }
    }

    /// One position against a sparse teacher (top-k plus the "other" bucket); adds into `out`
    /// and returns D. Checks the ids even when the weight is zero.
    private func sparseRow(
        row: Int, weight: Double, logits: UnsafeBufferPointer<Float>, ids: UnsafeBufferPointer<Int32>,
        logprobs: UnsafeBufferPointer<Float>, tau: Double, coefficient: Double,
        out: UnsafeMutableBufferPointer<Float>, scratch: inout TeacherMatchingScratch
    ) throws -> Double {
        let vocab = logits.count
        let k = ids.count
        return try scratch.slots.withUnsafeMutableBufferPointer { slots in
            // Mark the top-k ids; unmark on every way out so the scratch stays clean.
            defer {
                for i in 0..<k {
                    let id = Int(ids[i])
                    if id >= 0 && id < vocab { slots[id] = -1 }
                }
            }
            for i in 0..<k {
                let id = Int(ids[i])
                if id < 0 || id >= vocab {
                    throw ObjectiveError.tokenIdOutOfRange(field: "teacher_topk_ids", position: row, id: id, vocab: vocab)
                }
                if slots[id] >= 0 { throw ObjectiveError.duplicateTopKId(position: row, id: id) }
                slots[id] = Int32(i)
            }
            var topKMass = 0.0
            for i in 0..<k {
                let l = Double(logprobs[i])
                if l.isNaN || l == .infinity {
                    throw ObjectiveError.nonFiniteValue(field: "teacher_topk_logprobs", index: row * k + i, value: l)
                }
                topKMass += exp(l)
            }
            if topKMass > 1 + SparseTeacher.topKMassTolerance {
                throw ObjectiveError.topKMassExceedsOne(position: row, mass: topKMass)
            }
            if weight == 0 { return 0 }

            return try scratch.student.withUnsafeMutableBufferPointer { student in
                try scratch.slopes.withUnsafeMutableBufferPointer { slopes in
                    let studentMax = try loadStudent(row: row, logits: logits, tau: tau, scaled: student)
                    var allSum = 0.0, restSum = 0.0
                    for j in 0..<vocab {
                        let e = exp(student[j] - studentMax)
                        allSum += e
                        if slots[j] < 0 { restSum += e }
                    }
                    let studentLogNorm = studentMax + log(allSum)
                    let studentRestLogNorm = restSum > 0 ? studentMax + log(restSum) : -Double.infinity
                    let hasRest = k < vocab

                    // Tempered, unnormalized teacher logs: slopes[0..<k] for the ids, slopes[k] for the bucket.
                    var teacherMax = -Double.infinity
                    for i in 0..<k {
                        slopes[i] = Double(logprobs[i]) / tau
                        teacherMax = max(teacherMax, slopes[i])
                    }
                    if hasRest {
                        let rest = max(1 - topKMass, SparseTeacher.restMassFloor)
                        slopes[k] = (1 - 1 / tau) * log(Double(vocab - k)) + log(rest) / tau
                        teacherMax = max(teacherMax, slopes[k])
                    }
                    if teacherMax == -.infinity {
                        throw ObjectiveError.nonFiniteValue(field: "teacher_topk_logprobs", index: row * k, value: -.infinity)
                    }
                    let outcomes = hasRest ? k + 1 : k
                    var teacherSum = 0.0
                    for o in 0..<outcomes { teacherSum += exp(slopes[o] - teacherMax) }
                    let teacherLogNorm = teacherMax + log(teacherSum)

                    var divergence = 0.0, slopeSum = 0.0
                    for o in 0..<outcomes {
                        let logS = o < k ? student[Int(ids[o])] - studentLogNorm : studentRestLogNorm - studentLogNorm
                        let term = divergenceTerm(logTeacher: slopes[o] - teacherLogNorm, logStudent: logS)
                        divergence += term.value
                        slopeSum += term.studentSlope
                        slopes[o] = term.studentSlope
                    }
                    let restSlope = hasRest ? slopes[k] : 0
                    for j in 0..<vocab {
                        let s = exp(student[j] - studentLogNorm)
                        let slot = Int(slots[j])
                        let h: Double
                        if slot >= 0 {
                            h = slopes[slot]
                        } else if studentRestLogNorm > -.infinity {
                            h = exp(student[j] - studentRestLogNorm) * restSlope
                        } else {
                            h = 0
                        }
                        out[j] += Float(coefficient * (h - s * slopeSum))
                    }
                    return divergence
                }
            }
        }
    }
}
