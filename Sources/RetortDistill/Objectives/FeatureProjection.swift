// A learned linear map from the student's hidden width to the teacher's, y = W h_S + b (the
// "regressor" of FitNets, Romero et al. 2015), so feature objectives can compare layers of
// different widths. Forward and backward follow the kernel's convention: the input gradient is
// written, the parameter gradients accumulate (+=) until `zeroGradients()`.
import Foundation
import RetortTensor

public final class FeatureProjection {
    public let studentWidth: Int
    public let teacherWidth: Int
    /// (teacherWidth, studentWidth), as nn.Linear keeps it; the trainer's optimizer updates it in place.
    public let weightTensor: Tensor
    /// (teacherWidth).
    public let biasTensor: Tensor
    /// d(loss)/d(weights) and d(loss)/d(bias), accumulated until `zeroGradients()`.
    public let weightGradientTensor: Tensor
    public let biasGradientTensor: Tensor

    /// Row-major [teacherWidth][studentWidth].
    public var weights: [Float] {
        get { weightTensor.toArray() }
        set { try! weightTensor.load(newValue) }  // the setter keeps the count; a wrong one is a programming error
    }
    /// [teacherWidth].
    public var bias: [Float] {
        get { biasTensor.toArray() }
        set { try! biasTensor.load(newValue) }
    }
    public var weightGradient: [Float] { weightGradientTensor.toArray() }
    public var biasGradient: [Float] { biasGradientTensor.toArray() }

    /// Weights drawn uniformly from ±1/√studentWidth by a seeded generator, bias zero.
    public convenience init(studentWidth: Int, teacherWidth: Int, seed: UInt64 = 0x5EED) throws {
        guard studentWidth > 0, teacherWidth > 0 else {
            throw ObjectiveError.shapeMismatch(field: "projection width", expected: 1, actual: min(studentWidth, teacherWidth))
        }
        var generator = ObjectiveSplitMix64(seed: seed)
        let bound = 1 / Double(studentWidth).squareRoot()
        let weights = (0..<(studentWidth * teacherWidth)).map { _ in Float(generator.nextUniform(in: -bound...bound)) }
        try self.init(studentWidth: studentWidth, teacherWidth: teacherWidth, weights: weights,
                      bias: [Float](repeating: 0, count: teacherWidth))
    }

    /// Given weights ([teacherWidth][studentWidth]) and bias ([teacherWidth]).
    public init(studentWidth: Int, teacherWidth: Int, weights: [Float], bias: [Float]) throws {
        guard studentWidth > 0, teacherWidth > 0 else {
            throw ObjectiveError.shapeMismatch(field: "projection width", expected: 1, actual: min(studentWidth, teacherWidth))
        }
        guard weights.count == studentWidth * teacherWidth else {
            throw ObjectiveError.shapeMismatch(field: "projection weights", expected: studentWidth * teacherWidth, actual: weights.count)
        }
        guard bias.count == teacherWidth else {
            throw ObjectiveError.shapeMismatch(field: "projection bias", expected: teacherWidth, actual: bias.count)
        }
        self.studentWidth = studentWidth
        self.teacherWidth = teacherWidth
        weightTensor = try Tensor(shape: [teacherWidth, studentWidth], values: weights)
        biasTensor = try Tensor(shape: [teacherWidth], values: bias)
        weightGradientTensor = Tensor(shape: [teacherWidth, studentWidth])
        biasGradientTensor = Tensor(shape: [teacherWidth])
    }

    /// The weight and bias as parameters an optimizer updates and a checkpoint saves, named
    /// `prefix.weight` and `prefix.bias` (the bias without weight decay).
    public func trainableParameters(prefix: String) throws -> [TrainableParameter] {
        [try TrainableParameter(name: prefix + ".weight", value: weightTensor, gradient: weightGradientTensor),
         try TrainableParameter(name: prefix + ".bias", value: biasTensor, gradient: biasGradientTensor, weightDecay: false)]
    }

    public func zeroGradients() {
        weightGradientTensor.zero()
        biasGradientTensor.zero()
    }

    /// out = input · Wᵀ + b; input is (rows, studentWidth), out (rows, teacherWidth).
    public func forward(_ input: Tensor, rows: Int, into out: Tensor) throws {
        try Linear.forward(out: out, inp: input, weight: weightTensor, bias: biasTensor, N: rows, C: studentWidth, OC: teacherWidth)
    }

    /// In the forward pass this was out = input · Wᵀ + b; so now: inputGradient = outGradient · W
    /// (written), weightGradient += s · outGradientᵀ · input, biasGradient += s · Σ_r outGradient,
    /// with s = `parameterScale` (the weight of this loss in the one being minimized).
    public func backward(inputGradient: Tensor, outputGradient: Tensor, input: Tensor, rows: Int, parameterScale: Float = 1) throws {
        inputGradient.zero()
        try Linear.backward(dinp: inputGradient, dweight: nil, dbias: nil, dout: outputGradient,
                            inp: input, weight: weightTensor, N: rows, C: studentWidth, OC: teacherWidth)
        let scaled = outputGradient.copy()
        if parameterScale != 1 { for i in 0..<scaled.count { scaled.data[i] *= parameterScale } }
        try Linear.backward(dinp: nil, dweight: weightGradientTensor, dbias: biasGradientTensor, dout: scaled,
                            inp: input, weight: weightTensor, N: rows, C: studentWidth, OC: teacherWidth)
    }

    /// Evaluates `objective` on the projected student rows against the teacher: writes
    /// d(lossSum)/d(student hidden states) into `studentGradient` (rows.count × studentWidth) and
    /// accumulates `parameterScale` · d(lossSum)/d(weights, bias) into the projection's gradients.
    public func evaluate(
        _ objective: any FeatureObjective, batch: FeatureBatch, rows: Range<Int>,
        studentGradient: UnsafeMutableBufferPointer<Float>, parameterScale: Float = 1
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
        let inputTensor = try Tensor(shape: [rows.count, studentWidth], values: Array(input))
        let projected = Tensor(shape: [rows.count, teacherWidth])
        let projectedGradient = Tensor(shape: [rows.count, teacherWidth])
        try forward(inputTensor, rows: rows.count, into: projected)
        let projectedBatch = FeatureBatch(
            student: UnsafeBufferPointer(projected.buffer),
            teacher: UnsafeBufferPointer(rebasing: batch.teacher[(rows.lowerBound * teacherWidth)..<(rows.upperBound * teacherWidth)]),
            positions: rows.count, studentWidth: teacherWidth, teacherWidth: teacherWidth,
            lossMask: UnsafeBufferPointer(rebasing: batch.lossMask[rows]))
        let value = try objective.evaluate(projectedBatch, rows: 0..<rows.count, gradient: projectedGradient.buffer)
        let inputGradient = Tensor(shape: [rows.count, studentWidth])
        try backward(inputGradient: inputGradient, outputGradient: projectedGradient, input: inputTensor, rows: rows.count,
                     parameterScale: parameterScale)
        _ = studentGradient.update(fromContentsOf: inputGradient.buffer)
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
