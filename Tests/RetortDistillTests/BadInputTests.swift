// Bad batches never trap: each mistake becomes a typed ObjectiveError that names what differs.
import Foundation
import Testing
@testable import RetortDistill

@Suite struct BadInputTests {
    let logits: [Float] = [0.5, -1, 2, 0, 1, 1]  // 2 positions × 3 ids
    let teacher: [Float] = logSoftmax([1, 0, -1]).map(Float.init) + logSoftmax([0, 2, 0]).map(Float.init)
    let mask: [Float] = [1, 1]

    func run(_ objective: any TokenObjective = ForwardKL(), logits: [Float]? = nil, positions: Int = 2, vocab: Int = 3,
             targets: [Int32]? = [0, 1], mask: [Float]? = nil, teacher: [Float]?? = nil, ids: [Int32]? = nil,
             top: [Float]? = nil, k: Int = 0, temperature: Float = 1) throws {
        try withTokenBatch(
            logits: logits ?? self.logits, positions: positions, vocab: vocab, targets: targets, mask: mask ?? self.mask,
            teacherLogprobs: teacher ?? (ids == nil ? self.teacher : nil), topKIds: ids, topKLogprobs: top, k: k,
            temperature: temperature
        ) { _ = try evaluateAll(objective, $0) }
    }

    @Test func studentLogitsOfTheWrongSize() {
        #expect(throws: ObjectiveError.shapeMismatch(field: "student_logits", expected: 6, actual: 5)) {
            try run(logits: Array(logits.prefix(5)))
        }
    }

    @Test func teacherWithAnotherVocabulary() {
        #expect(throws: ObjectiveError.sizeMismatch(what: "vocabulary", student: 3, teacher: 4)) {
            try run(teacher: [Float](repeating: -log(4), count: 8))
        }
    }

    @Test func sparseIdsOutOfRangeDuplicatedOrOverweight() {
        #expect(throws: ObjectiveError.tokenIdOutOfRange(field: "teacher_topk_ids", position: 1, id: 3, vocab: 3)) {
            try run(ids: [0, 1, 3, 2], top: [-1, -2, -1, -2], k: 2)
        }
        #expect(throws: ObjectiveError.tokenIdOutOfRange(field: "teacher_topk_ids", position: 0, id: -1, vocab: 3)) {
            try run(ids: [-1, 1, 0, 2], top: [-1, -2, -1, -2], k: 2)
        }
        #expect(throws: ObjectiveError.duplicateTopKId(position: 0, id: 1)) {
            try run(ids: [1, 1, 0, 2], top: [-1, -2, -1, -2], k: 2)
        }
        #expect(throws: ObjectiveError.topKMassExceedsOne(position: 1, mass: 2 * exp(Double(Float(-0.1))))) {
            try run(ids: [0, 1, 0, 2], top: [-1, -2, -0.1, -0.1], k: 2)
        }
        #expect(throws: ObjectiveError.parameterOutOfRange(
            objective: "teacher", parameter: "teacher_k", value: 4, allowed: "in 1...3 (the vocabulary)")) {
            try run(ids: [0, 1, 2, 0, 1, 2, 0, 1], top: [Float](repeating: -2, count: 8), k: 4)
        }
        #expect(throws: ObjectiveError.shapeMismatch(field: "teacher_topk_ids", expected: 4, actual: 3)) {
            try run(ids: [0, 1, 2], top: [-1, -2, -1, -2], k: 2)
        }
    }

    @Test func nonFiniteLogitsAndTeacherValues() {
        var bad = logits
        bad[4] = .nan
        #expect(throws: ObjectiveError.self) { try run(logits: bad) }
        do {
            try run(logits: bad)
        } catch let error as ObjectiveError {
            guard case .nonFiniteValue(let field, let index, let value) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(field == "student_logits" && index == 4 && value.isNaN)
        } catch {
            Issue.record("untyped error \(error)")
        }
        bad[4] = .infinity
        #expect(throws: ObjectiveError.nonFiniteValue(field: "student_logits", index: 4, value: .infinity)) {
            try run(TeacherTextCrossEntropy(), logits: bad)
        }
        var badTeacher = teacher
        badTeacher[2] = .infinity
        #expect(throws: ObjectiveError.nonFiniteValue(field: "teacher_logprobs", index: 2, value: .infinity)) {
            try run(teacher: badTeacher)
        }
    }

    @Test func aTeacherProbabilityOfZeroMakesReverseKLInfiniteAndThatIsReported() {
        var zero = teacher
        zero[1] = -.infinity
        #expect(throws: ObjectiveError.nonFiniteLoss(objective: "reverse-kl", position: 0)) {
            try run(ReverseKL(), teacher: zero)
        }
        // Forward KL and the skewed/JSD objectives stay finite there.
        #expect(throws: Never.self) { try run(ForwardKL(), teacher: zero) }
        #expect(throws: Never.self) { try run(try SkewReverseKL(alpha: 0.1), teacher: zero) }
        #expect(throws: Never.self) { try run(try GeneralizedJSD(beta: 0.5), teacher: zero) }
    }

    @Test func targetsMasksTemperatureAndRows() throws {
        #expect(throws: ObjectiveError.missingTarget(objective: "sft", position: 1)) {
            try run(TeacherTextCrossEntropy(), targets: [0, -1])
        }
        #expect(throws: ObjectiveError.tokenIdOutOfRange(field: "targets", position: 0, id: 7, vocab: 3)) {
            try run(TeacherTextCrossEntropy(), targets: [7, 0])
        }
        #expect(throws: ObjectiveError.missingInput(objective: "sft", input: "targets (the teacher's token ids)")) {
            try run(TeacherTextCrossEntropy(), targets: nil)
        }
        #expect(throws: ObjectiveError.invalidLossWeight(position: 1, value: -1)) { try run(mask: [1, -1]) }
        #expect(throws: ObjectiveError.invalidTemperature(0)) { try run(temperature: 0) }
        #expect(throws: ObjectiveError.shapeMismatch(field: "loss_mask", expected: 2, actual: 1)) { try run(mask: [1]) }
        #expect(throws: ObjectiveError.missingInput(
            objective: "forward-kl", input: "a teacher distribution (teacher_logprobs, or teacher_topk_ids with teacher_topk_logprobs)")) {
            try run(teacher: .some(nil))
        }
        withTokenBatch(logits: logits, positions: 2, vocab: 3, mask: mask, teacherLogprobs: teacher) { batch in
            var gradient = [Float](repeating: 0, count: 6)
            #expect(throws: ObjectiveError.rowsOutOfRange(rows: 1..<3, positions: 2)) {
                _ = try gradient.withUnsafeMutableBufferPointer { try ForwardKL().evaluate(batch, rows: 1..<3, gradient: $0) }
            }
            #expect(throws: ObjectiveError.shapeMismatch(field: "gradient", expected: 3, actual: 6)) {
                _ = try gradient.withUnsafeMutableBufferPointer { try ForwardKL().evaluate(batch, rows: 1..<2, gradient: $0) }
            }
        }
    }

    @Test func everyErrorExplainsItselfInWords() {
        let errors: [ObjectiveError] = [
            .shapeMismatch(field: "student_logits", expected: 6, actual: 5),
            .sizeMismatch(what: "vocabulary", student: 3, teacher: 4),
            .tokenIdOutOfRange(field: "teacher_topk_ids", position: 1, id: 9, vocab: 3),
            .unknownObjective(name: "klx", known: ["forward-kl"]),
            .parameterOutOfRange(objective: "jsd", parameter: "beta", value: 2, allowed: "in [0, 1]"),
        ]
        let mentions = ["student_logits", "vocabulary", "teacher_topk_ids", "klx", "beta"]
        for (error, word) in zip(errors, mentions) {
            let text = error.localizedDescription
            #expect(text.contains(word), "\(text)")
        }
    }
}
