// The value an objective returns for a chunk of rows: a weighted loss sum and the weight behind it,
// so chunks (and mixtures) combine by addition and the mean is taken once at the end.
import Foundation

/// `lossSum` is Σ_i m_i ℓ_i over the rows evaluated and `weightSum` is Σ_i m_i; the reported loss
/// of Eq. 2 is their ratio, taken after all chunks are added. Every gradient an objective writes
/// is the gradient of `lossSum` (not of the mean): divide it by the total weight of all chunks
/// (or call `evaluateMean`) to get the gradient of the mean loss.
public struct ObjectiveValue: Equatable, Sendable {
    public var lossSum: Double
    public var weightSum: Double

    public init(lossSum: Double, weightSum: Double) {
        self.lossSum = lossSum
        self.weightSum = weightSum
    }

    public static let zero = ObjectiveValue(lossSum: 0, weightSum: 0)

    /// The mean loss over weighted rows; 0 when no row carries weight.
    public var loss: Double { weightSum > 0 ? lossSum / weightSum : 0 }

    public static func + (lhs: ObjectiveValue, rhs: ObjectiveValue) -> ObjectiveValue {
        ObjectiveValue(lossSum: lhs.lossSum + rhs.lossSum, weightSum: lhs.weightSum + rhs.weightSum)
    }

    public static func += (lhs: inout ObjectiveValue, rhs: ObjectiveValue) {
        lhs = lhs + rhs
    }
}
