// The Swift twin of `retort_token_batch_v1` (SDK/include/retort/retort.h): the same fields, as
// borrowed buffers, so a built-in objective and a plugin's C `token_loss` read the same batch.
import Foundation

/// Borrowed views for `positions` rows of a token-level batch. Nothing is copied; the buffers must
/// outlive the call that reads them.
public struct TokenBatch {
    /// Student logits, row-major [positions][vocab].
    public var studentLogits: UnsafeBufferPointer<Float>
    public var positions: Int
    public var vocab: Int
    /// Target token id per position (the next token of the teacher's text), -1 where there is
    /// none; nil when the batch has no targets.
    public var targets: UnsafeBufferPointer<Int32>?
    /// Weight per position (0 = ignore, 1 = train); [positions].
    public var lossMask: UnsafeBufferPointer<Float>
    /// Dense teacher log-probabilities [positions][vocab], or nil when sparse or absent.
    public var teacherLogprobs: UnsafeBufferPointer<Float>?
    /// Sparse teacher: `teacherK` ids and log-probabilities per position ([positions][k]); the
    /// rest of the probability mass belongs to the other ids. nil when absent.
    public var teacherTopKIds: UnsafeBufferPointer<Int32>?
    public var teacherTopKLogprobs: UnsafeBufferPointer<Float>?
    public var teacherK: Int
    /// Softmax temperature applied to both student and teacher logits (see `TeacherMatching`).
    public var temperature: Float
    /// JSON object of hyper-parameters from the recipe. Built-in objectives take theirs when the
    /// registry creates them and ignore this; a plugin adapter passes it through.
    public var parametersJSON: String

    public init(
        studentLogits: UnsafeBufferPointer<Float>,
        positions: Int,
        vocab: Int,
        targets: UnsafeBufferPointer<Int32>? = nil,
        lossMask: UnsafeBufferPointer<Float>,
        teacherLogprobs: UnsafeBufferPointer<Float>? = nil,
        teacherTopKIds: UnsafeBufferPointer<Int32>? = nil,
        teacherTopKLogprobs: UnsafeBufferPointer<Float>? = nil,
        teacherK: Int = 0,
        temperature: Float = 1,
        parametersJSON: String = "{}"
    ) {
        self.studentLogits = studentLogits
        self.positions = positions
        self.vocab = vocab
        self.targets = targets
        self.lossMask = lossMask
        self.teacherLogprobs = teacherLogprobs
        self.teacherTopKIds = teacherTopKIds
        self.teacherTopKLogprobs = teacherTopKLogprobs
        self.teacherK = teacherK
        self.temperature = temperature
        self.parametersJSON = parametersJSON
    }

    /// The teacher this batch carries. Dense wins when both forms are given.
    public enum Teacher {
        case dense(logprobs: UnsafeBufferPointer<Float>)
        case sparse(ids: UnsafeBufferPointer<Int32>, logprobs: UnsafeBufferPointer<Float>, k: Int)
        case none
    }

    public var teacher: Teacher {
        if let teacherLogprobs { return .dense(logprobs: teacherLogprobs) }
        if let teacherTopKIds, let teacherTopKLogprobs {
            return .sparse(ids: teacherTopKIds, logprobs: teacherTopKLogprobs, k: teacherK)
        }
        return .none
    }

    /// Checks every buffer against the shape and `rows` against the batch, and the gradient
    /// buffer against `rows.count × vocab`. Values inside rows are checked as they are read.
    func validateShape(rows: Range<Int>, gradientCount: Int) throws {
        if positions < 0 { throw ObjectiveError.shapeMismatch(field: "positions", expected: 0, actual: positions) }
        if vocab < 1 { throw ObjectiveError.shapeMismatch(field: "vocab", expected: 1, actual: vocab) }
        let (cells, overflow) = positions.multipliedReportingOverflow(by: vocab)
        if overflow { throw ObjectiveError.shapeMismatch(field: "positions × vocab", expected: Int.max, actual: positions) }
        if studentLogits.count != cells {
            throw ObjectiveError.shapeMismatch(field: "student_logits", expected: cells, actual: studentLogits.count)
        }
        if lossMask.count != positions {
            throw ObjectiveError.shapeMismatch(field: "loss_mask", expected: positions, actual: lossMask.count)
        }
        if let targets, targets.count != positions {
            throw ObjectiveError.shapeMismatch(field: "targets", expected: positions, actual: targets.count)
        }
        if rows.lowerBound < 0 || rows.upperBound > positions {
            throw ObjectiveError.rowsOutOfRange(rows: rows, positions: positions)
        }
        if gradientCount != rows.count * vocab {
            throw ObjectiveError.shapeMismatch(field: "gradient", expected: rows.count * vocab, actual: gradientCount)
        }
        if !(temperature.isFinite && temperature > 0) {
            throw ObjectiveError.invalidTemperature(Double(temperature))
        }
        switch teacher {
        case .dense(let logprobs):
            if logprobs.count != cells {
                // A dense teacher with another vocabulary is the usual cause.
                if positions > 0, logprobs.count % positions == 0 {
                    throw ObjectiveError.sizeMismatch(what: "vocabulary", student: vocab, teacher: logprobs.count / positions)
                }
                throw ObjectiveError.shapeMismatch(field: "teacher_logprobs", expected: cells, actual: logprobs.count)
            }
        case .sparse(let ids, let logprobs, let k):
            if k < 1 || k > vocab {
                throw ObjectiveError.parameterOutOfRange(
                    objective: "teacher", parameter: "teacher_k", value: Double(k), allowed: "in 1...\(vocab) (the vocabulary)")
            }
            if ids.count != positions * k {
                throw ObjectiveError.shapeMismatch(field: "teacher_topk_ids", expected: positions * k, actual: ids.count)
            }
            if logprobs.count != positions * k {
                throw ObjectiveError.shapeMismatch(field: "teacher_topk_logprobs", expected: positions * k, actual: logprobs.count)
            }
        case .none:
            break
        }
    }

    /// The loss weight of `row`, checked to be finite and non-negative.
    func weight(at row: Int) throws -> Double {
        let value = Double(lossMask[row])
        if !(value.isFinite && value >= 0) { throw ObjectiveError.invalidLossWeight(position: row, value: value) }
        return value
    }
}
