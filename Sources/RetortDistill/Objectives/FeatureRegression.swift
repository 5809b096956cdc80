// Hidden-state regression, the feature-matching losses of FitNets (Romero et al. 2015) and
// TinyBERT (Jiao et al. 2020): mean squared error and mean absolute error between the student's
// and the teacher's hidden vector at each position, averaged over the width.
import Foundation

/// ℓ = (1/W) Σ_d (h_S − h_T)².
public struct HiddenStateMSE: PositionwiseFeatureObjective {
    public let name = "mse"

    public init() {}

    public func positionLoss(
        student: UnsafeBufferPointer<Float>, teacher: UnsafeBufferPointer<Float>,
        gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) -> Double {
        let width = Double(student.count)
        var sum = 0.0
        for d in 0..<student.count {
            let difference = Double(student[d]) - Double(teacher[d])
            sum += difference * difference
            gradient[d] = Float(scale * 2 * difference / width)
        }
        return sum / width
    }
}

/// ℓ = (1/W) Σ_d |h_S − h_T|, with subgradient 0 where they are equal.
public struct HiddenStateL1: PositionwiseFeatureObjective {
    public let name = "l1"

    public init() {}

    public func positionLoss(
        student: UnsafeBufferPointer<Float>, teacher: UnsafeBufferPointer<Float>,
        gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) -> Double {
        let width = Double(student.count)
        var sum = 0.0
        for d in 0..<student.count {
            let difference = Double(student[d]) - Double(teacher[d])
            sum += abs(difference)
            let sign: Double = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
            gradient[d] = Float(scale * sign / width)
        }
        return sum / width
    }
}
