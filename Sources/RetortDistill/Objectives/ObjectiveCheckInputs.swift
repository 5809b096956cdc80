// Small, seeded inputs for the gradient checks and the tests: a token batch with a fractional and
// a zero loss weight, a dense teacher and its top-k view; ranked sequence groups; hidden states.
import Foundation

struct TokenCheckInputs {
    let positions: Int
    let vocab: Int
    var logits: [Float]
    var teacherLogprobs: [Float]
    var targets: [Int32]
    var mask: [Float]

    init(positions: Int, vocab: Int, seed: UInt64, mask: [Float]? = nil) {
        self.positions = positions
        self.vocab = vocab
        var generator = ObjectiveSplitMix64(seed: seed)
        logits = (0..<(positions * vocab)).map { _ in Float(generator.nextUniform(in: -3...3)) }
        teacherLogprobs = []
        for _ in 0..<positions {
            let raw = (0..<vocab).map { _ in generator.nextUniform(in: -3...3) }
            let top = raw.max()!
            let logNorm = top + log(raw.reduce(0) { $0 + exp($1 - top) })
            teacherLogprobs += raw.map { Float($0 - logNorm) }
        }
        let weights = mask ?? (0..<positions).map { [1, 0.5, 0, 2][$0 % 4] }
        self.mask = weights
        targets = (0..<positions).map { row in
            weights[row] == 0 ? -1 : Int32(generator.next() % UInt64(vocab))
        }
    }

    /// The teacher's k most probable ids per position and their log-probabilities.
    func topK(_ k: Int) -> (ids: [Int32], logprobs: [Float]) {
        var ids: [Int32] = [], logprobs: [Float] = []
        for row in 0..<positions {
            let rowValues = teacherLogprobs[(row * vocab)..<((row + 1) * vocab)]
            let order = rowValues.indices.sorted { rowValues[$0] > rowValues[$1] }.prefix(k)
            ids += order.map { Int32($0 - row * vocab) }
            logprobs += order.map { teacherLogprobs[$0] }
        }
        return (ids, logprobs)
    }

    /// Evaluates all rows with a dense teacher (sparseK nil) or its top-k view.
    func evaluate(
        _ objective: any TokenObjective, logits: [Float], sparseK: Int?, temperature: Float, rows: Range<Int>? = nil,
        gradient: inout [Float]
    ) throws -> ObjectiveValue {
        let rows = rows ?? 0..<positions
        let sparse: (ids: [Int32], logprobs: [Float]) = sparseK.map { topK($0) } ?? ([], [])
        if gradient.count != rows.count * vocab { gradient = [Float](repeating: 0, count: rows.count * vocab) }
        return try logits.withUnsafeBufferPointer { z in
            try teacherLogprobs.withUnsafeBufferPointer { dense in
                try sparse.ids.withUnsafeBufferPointer { ids in
                    try sparse.logprobs.withUnsafeBufferPointer { topLogprobs in
                        try targets.withUnsafeBufferPointer { y in
                            try mask.withUnsafeBufferPointer { m in
                                try gradient.withUnsafeMutableBufferPointer { g in
                                    let batch = TokenBatch(
                                        studentLogits: z, positions: positions, vocab: vocab, targets: y, lossMask: m,
                                        teacherLogprobs: sparseK == nil ? dense : nil,
                                        teacherTopKIds: sparseK == nil ? nil : ids,
                                        teacherTopKLogprobs: sparseK == nil ? nil : topLogprobs,
                                        teacherK: sparseK ?? 0, temperature: temperature)
                                    return try objective.evaluate(batch, rows: rows, gradient: g)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

struct SequenceCheckInputs {
    /// Three groups (sizes 3, 2, 3), ranks 0 = best, distinct log-probs far from the hinge kinks.
    let count = 8
    var logps: [Float] = []
    var referenceLogps: [Float] = []
    var oldLogps: [Float] = []
    var rewards: [Float] = []
    var groupIds: [Int32] = [0, 0, 0, 1, 1, 2, 2, 2]
    var ranks: [Int32] = [1, 0, 2, 0, 1, 2, 0, 1]
    var lengths: [Int32] = [5, 9, 4, 7, 3, 6, 8, 2]

    init(seed: UInt64) {
        var generator = ObjectiveSplitMix64(seed: seed)
        for _ in 0..<count {
            logps.append(Float(generator.nextUniform(in: -12 ... -2)))
            referenceLogps.append(Float(generator.nextUniform(in: -12 ... -2)))
            oldLogps.append(Float(generator.nextUniform(in: -0.4...0.4)))
            rewards.append(Float(generator.nextUniform(in: -2...2)))
        }
        // Old log-probs near the current ones, so some ratios fall inside the clip range and some outside.
        oldLogps = zip(logps, oldLogps).map { $0 + $1 }
    }

    func evaluate(
        _ objective: any SequenceObjective, differentiated: [Float], withOldLogps: Bool, gradient: inout [Float]
    ) throws -> ObjectiveValue {
        let logps = objective.gradientInput == .logps ? differentiated : self.logps
        let rewards = objective.gradientInput == .rewards ? differentiated : self.rewards
        if gradient.count != count { gradient = [Float](repeating: 0, count: count) }
        return try logps.withUnsafeBufferPointer { lp in
            try referenceLogps.withUnsafeBufferPointer { ref in
                try oldLogps.withUnsafeBufferPointer { old in
                    try rewards.withUnsafeBufferPointer { r in
                        try groupIds.withUnsafeBufferPointer { g in
                            try ranks.withUnsafeBufferPointer { rk in
                                try lengths.withUnsafeBufferPointer { len in
                                    try gradient.withUnsafeMutableBufferPointer { out in
                                        let batch = SequenceBatch(
                                            logps: lp, count: count, referenceLogps: ref, rewards: r, groupIds: g,
                                            ranks: rk, lengths: len, oldLogps: withOldLogps ? old : nil)
                                        return try objective.evaluate(batch, gradient: out)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

struct FeatureCheckInputs {
    let positions: Int
    let studentWidth: Int
    let teacherWidth: Int
    var student: [Float]
    var teacher: [Float]
    var mask: [Float]

    init(positions: Int, studentWidth: Int, teacherWidth: Int, seed: UInt64) {
        self.positions = positions
        self.studentWidth = studentWidth
        self.teacherWidth = teacherWidth
        var generator = ObjectiveSplitMix64(seed: seed)
        student = (0..<(positions * studentWidth)).map { _ in Float(generator.nextUniform(in: -2...2)) }
        teacher = (0..<(positions * teacherWidth)).map { _ in Float(generator.nextUniform(in: -2...2)) }
        mask = (0..<positions).map { [1, 0.5, 0, 2][$0 % 4] }
    }

    func evaluate(
        _ objective: any FeatureObjective, student: [Float], rows: Range<Int>? = nil, gradient: inout [Float]
    ) throws -> ObjectiveValue {
        let rows = rows ?? 0..<positions
        if gradient.count != rows.count * studentWidth { gradient = [Float](repeating: 0, count: rows.count * studentWidth) }
        return try student.withUnsafeBufferPointer { s in
            try teacher.withUnsafeBufferPointer { t in
                try mask.withUnsafeBufferPointer { m in
                    try gradient.withUnsafeMutableBufferPointer { g in
                        let batch = FeatureBatch(
                            student: s, teacher: t, positions: positions, studentWidth: studentWidth,
                            teacherWidth: teacherWidth, lossMask: m)
                        return try objective.evaluate(batch, rows: rows, gradient: g)
                    }
                }
            }
        }
    }
}
