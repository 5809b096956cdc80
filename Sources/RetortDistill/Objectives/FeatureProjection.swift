// A learned linear map from the student's hidden width to the teacher's, y = W h_S + b (the
// "regressor" of FitNets, Romero et al. 2015), so feature objectives can compare layers of
// different widths. Forward and backward follow the kernel's convention: the input gradient is
// written, the parameter gradients accumulate (+=) until `zeroGradients()`.
import Foundation

public final class FeatureProjection {
    public let studentWidth: Int
    public let teacherWidth: Int
    /// Row-major [teacherWidth][studentWidth].
    public var weights: [Float]
    /// [teacherWidth].
    public var bias: [Float]
    /// d(loss)/d(weights), accumulated.
    public var weightGradient: [Float]
    /// d(loss)/d(bias), accumulated.
    public var biasGradient: [Float]

    /// Weights drawn uniformly from ±1/√studentWidth by a seeded generator, bias zero.
    public init(studentWidth: Int, teacherWidth: Int, seed: UInt64 = 0x5EED) throws {
        guard studentWidth > 0, teacherWidth > 0 else {
            throw ObjectiveError.shapeMismatch(field: "projection width", expected: 1, actual: min(studentWidth, teacherWidth))
        }
        self.studentWidth = studentWidth
        self.teacherWidth = teacherWidth
        var generator = ObjectiveSplitMix64(seed: seed)
        let bound = 1 / Double(studentWidth).squareRoot()
        weights = (0..<(studentWidth * teacherWidth)).map { _ in Float(generator.nextUniform(in: -bound...bound)) }
        bias = [Float](repeating: 0, count: teacherWidth)
        weightGradient = [Float](repeating: 0, count: studentWidth * teacherWidth)
        biasGradient = [Float](repeating: 0, count: teacherWidth)
    }

    /// Given weights ([teacherWidth][studentWidth]) and bias ([teacherWidth]).
    public init(studentWidth: Int, teacherWidth: Int, weights: [Float], bias: [Float]) throws {
        guard weights.count == studentWidth * teacherWidth else {
            throw ObjectiveError.shapeMismatch(field: "projection weights", expected: studentWidth * teacherWidth, actual: weights.count)
        }
        guard bias.count == teacherWidth else {
            throw ObjectiveError.shapeMismatch(field: "projection bias", expected: teacherWidth, actual: bias.count)
        }
        self.studentWidth = studentWidth
        self.teacherWidth = teacherWidth
        self.weights = weights
        self.bias = bias
        weightGradient = [Float](repeating: 0, count: weights.count)
        biasGradient = [Float](repeating: 0, count: teacherWidth)
    }

    public func zeroGradients() {
        weightGradient = [Float](repeating: 0, count: weightGradient.count)
        biasGradient = [Float](repeating: 0, count: biasGradient.count)
    }

    /// out[r][o] = b[o] + Σ_i W[o][i] · input[r][i]; input is (rows, studentWidth), out (rows, teacherWidth).
    public func forward(_ input: UnsafeBufferPointer<Float>, rows: Int, into out: UnsafeMutableBufferPointer<Float>) {
        for r in 0..<rows {
            for o in 0..<teacherWidth {
                var sum = Double(bias[o])
                for i in 0..<studentWidth {
                    sum += Double(weights[o * studentWidth + i]) * Double(input[r * studentWidth + i])
                }
                out[r * teacherWidth + o] = Float(sum)
            }
        }
    }

    /// In the forward pass this was out = W·input + b; so now: inputGradient = Wᵀ·outGradient
    /// (written), weightGradient += outGradient·inputᵀ, biasGradient += Σ_r outGradient.
    public func backward(
        inputGradient: UnsafeMutableBufferPointer<Float>, outputGradient: UnsafeBufferPointer<Float>,
        input: UnsafeBufferPointer<Float>, rows: Int
    ) {
        for r in 0..<rows {
            for i in 0..<studentWidth {
                var sum = 0.0
                for o in 0..<teacherWidth {
                    sum += Double(weights[o * studentWidth + i]) * Double(outputGradient[r * teacherWidth + o])
                }
                inputGradient[r * studentWidth + i] = Float(sum)
            }
            for o in 0..<teacherWidth {
                let g = outputGradient[r * teacherWidth + o]
                biasGradient[o] += g
                for i in 0..<studentWidth { weightGradient[o * studentWidth + i] += g * input[r * studentWidth + i] }
            }
        }
    }

    /// Evaluates `objective` on the projected student rows against the teacher: writes
    /// d(lossSum)/d(student hidden states) into `studentGradient` (rows.count × studentWidth) and
    /// accumulates the projection's own gradients.
    public func evaluate(
        _ objective: any FeatureObjective, batch: FeatureBatch, rows: Range<Int>,
        studentGradient: UnsafeMutableBufferPointer<Float>
    ) throws -> ObjectiveValue {
        if batch.studentWidth != studentWidth || batch.teacherWidth != teacherWidth {
            throw ObjectiveError.sizeMismatch(
                what: "projection width (student→teacher \(studentWidth)→\(teacherWidth)) vs batch width",
                student: batch.studentWidth, teacher: batch.teacherWidth)
        }
        if batch.student.count != batch.positions * studentWidth {
            throw ObjectiveError.shapeMismatch(field: "student hidden states", expected: batch.positions * studentWidth, actual: batch.student.count)
        }
        if rows.lowerBound < 0 || rows.upperBound > batch.positions {
            throw ObjectiveError.rowsOutOfRange(rows: rows, positions: batch.positions)
        }
        if studentGradient.count != rows.count * studentWidth {
            throw ObjectiveError.shapeMismatch(field: "student gradient", expected: rows.count * studentWidth, actual: studentGradient.count)
        }
        let input = UnsafeBufferPointer(rebasing: batch.student[(rows.lowerBound * studentWidth)..<(rows.upperBound * studentWidth)])
        for index in input.indices where !input[index].isFinite {
            throw ObjectiveError.nonFiniteValue(
                field: "student hidden states", index: rows.lowerBound * studentWidth + index - input.startIndex, value: Double(input[index]))
        }
        if batch.teacher.count != batch.positions * teacherWidth {
            throw ObjectiveError.shapeMismatch(field: "teacher hidden states", expected: batch.positions * teacherWidth, actual: batch.teacher.count)
        }
        if batch.lossMask.count != batch.positions {
            throw ObjectiveError.shapeMismatch(field: "loss_mask", expected: batch.positions, actual: batch.lossMask.count)
        }
        // The projected rows stand in for the student in a batch of just these rows.
        var projected = [Float](repeating: 0, count: rows.count * teacherWidth)
        var projectedGradient = [Float](repeating: 0, count: rows.count * teacherWidth)
        let value = try projected.withUnsafeMutableBufferPointer { projectedBuffer in
            forward(input, rows: rows.count, into: projectedBuffer)
            let projectedBatch = FeatureBatch(
                student: UnsafeBufferPointer(projectedBuffer),
                teacher: UnsafeBufferPointer(rebasing: batch.teacher[(rows.lowerBound * teacherWidth)..<(rows.upperBound * teacherWidth)]),
                positions: rows.count, studentWidth: teacherWidth, teacherWidth: teacherWidth,
                lossMask: UnsafeBufferPointer(rebasing: batch.lossMask[rows]))
            return try projectedGradient.withUnsafeMutableBufferPointer {
                try objective.evaluate(projectedBatch, rows: 0..<rows.count, gradient: $0)
            }
        }
        projectedGradient.withUnsafeBufferPointer { outputGradient in
            backward(inputGradient: studentGradient, outputGradient: outputGradient, input: input, rows: rows.count)
        }
        return value
    }
}

/// A small seeded generator (ObjectiveSplitMix64, Steele et al. 2014) so initial weights and the gradient
/// checks' inputs are the same on every run.
struct ObjectiveSplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double uniform in `range`, from the top 53 bits.
    mutating func nextUniform(in range: ClosedRange<Double>) -> Double {
        let unit = Double(next() >> 11) / Double(1 << 53)
        return range.lowerBound + unit * (range.upperBound - range.lowerBound)
    }
}
