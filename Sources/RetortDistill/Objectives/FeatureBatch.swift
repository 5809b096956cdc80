// Feature-level distillation inputs (hidden states of one student and one teacher layer) and the
// protocol of feature objectives: hidden states in, the loss and dL/dhidden out. Widths must match;
// a `FeatureProjection` maps the student to the teacher's width when they do not.
import Foundation

/// Borrowed views for `positions` rows of hidden states.
public struct FeatureBatch {
    /// Student hidden states, row-major [positions][studentWidth].
    public var student: UnsafeBufferPointer<Float>
    /// Teacher hidden states, row-major [positions][teacherWidth].
    public var teacher: UnsafeBufferPointer<Float>
    public var positions: Int
    public var studentWidth: Int
    public var teacherWidth: Int
    /// Weight per position (0 = ignore); [positions].
    public var lossMask: UnsafeBufferPointer<Float>

    public init(
        student: UnsafeBufferPointer<Float>, teacher: UnsafeBufferPointer<Float>, positions: Int,
        studentWidth: Int, teacherWidth: Int, lossMask: UnsafeBufferPointer<Float>
    ) {
        self.student = student
        self.teacher = teacher
        self.positions = positions
        self.studentWidth = studentWidth
        self.teacherWidth = teacherWidth
        self.lossMask = lossMask
    }

    /// Checks shapes, rows, equal widths, and that the rows' values are finite.
    func validate(rows: Range<Int>, gradientCount: Int) throws {
        if positions < 0 || studentWidth < 1 || teacherWidth < 1 {
            throw ObjectiveError.shapeMismatch(field: "positions/width", expected: 1, actual: min(positions, studentWidth, teacherWidth))
        }
        if studentWidth != teacherWidth {
            throw ObjectiveError.sizeMismatch(what: "hidden width", student: studentWidth, teacher: teacherWidth)
        }
        if student.count != positions * studentWidth {
            throw ObjectiveError.shapeMismatch(field: "student hidden states", expected: positions * studentWidth, actual: student.count)
        }
        if teacher.count != positions * teacherWidth {
            throw ObjectiveError.shapeMismatch(field: "teacher hidden states", expected: positions * teacherWidth, actual: teacher.count)
        }
        if lossMask.count != positions {
            throw ObjectiveError.shapeMismatch(field: "loss_mask", expected: positions, actual: lossMask.count)
        }
        if rows.lowerBound < 0 || rows.upperBound > positions {
            throw ObjectiveError.rowsOutOfRange(rows: rows, positions: positions)
        }
        if gradientCount != rows.count * studentWidth {
            throw ObjectiveError.shapeMismatch(field: "gradient", expected: rows.count * studentWidth, actual: gradientCount)
        }
        for row in rows {
            let weight = Double(lossMask[row])
            if !(weight.isFinite && weight >= 0) { throw ObjectiveError.invalidLossWeight(position: row, value: weight) }
            for index in (row * studentWidth)..<((row + 1) * studentWidth) {
                if !student[index].isFinite {
                    throw ObjectiveError.nonFiniteValue(field: "student hidden states", index: index, value: Double(student[index]))
                }
                if !teacher[index].isFinite {
                    throw ObjectiveError.nonFiniteValue(field: "teacher hidden states", index: index, value: Double(teacher[index]))
                }
            }
        }
    }

    func studentRow(_ row: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: student[(row * studentWidth)..<((row + 1) * studentWidth)])
    }

    func teacherRow(_ row: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: teacher[(row * teacherWidth)..<((row + 1) * teacherWidth)])
    }
}

public protocol FeatureObjective: Sendable {
    /// The registry name ("mse").
    var name: String { get }

    /// Evaluates rows `rows`. `gradient` holds `rows.count × studentWidth` floats and is overwritten
    /// with d(lossSum)/d(student hidden states); `lossSum` = Σ m_i ℓ_i, `weightSum` = Σ m_i.
    func evaluate(_ batch: FeatureBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue
}

/// A feature objective that is a sum of independent per-position distances ℓ(h_S, h_T).
public protocol PositionwiseFeatureObjective: FeatureObjective {
    /// Returns ℓ for one position and writes `scale · dℓ/dh_S` into `gradient` (width floats).
    func positionLoss(
        student: UnsafeBufferPointer<Float>, teacher: UnsafeBufferPointer<Float>,
        gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) -> Double
}

extension PositionwiseFeatureObjective {
    public func evaluate(_ batch: FeatureBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        try batch.validate(rows: rows, gradientCount: gradient.count)
        let width = batch.studentWidth
        var value = ObjectiveValue.zero
        for row in rows {
            let weight = Double(batch.lossMask[row])
            let start = (row - rows.lowerBound) * width
            let out = UnsafeMutableBufferPointer(rebasing: gradient[start..<(start + width)])
            value.weightSum += weight
            if weight == 0 {
                out.update(repeating: 0)
                continue
            }
            let loss = positionLoss(student: batch.studentRow(row), teacher: batch.teacherRow(row), gradient: out, scale: weight)
            if !loss.isFinite { throw ObjectiveError.nonFiniteLoss(objective: name, position: row) }
            value.lossSum += weight * loss
        }
        return value
    }
}
