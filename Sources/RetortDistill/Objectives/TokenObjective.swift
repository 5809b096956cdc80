// The protocol every token-level objective (L_objective of the survey's Eq. 2) conforms to, built-in
// or plugin: a batch view and a row range in, the loss sum and dL/dlogits for those rows out.
import Foundation

public protocol TokenObjective: Sendable {
    /// The registry name ("forward-kl").
    var name: String { get }

    /// Evaluates rows `rows` of `batch`. `gradient` holds `rows.count × batch.vocab` floats, row
    /// `rows.lowerBound` first; the objective overwrites all of it with d(lossSum)/dlogits (rows
    /// with zero weight get zeros). The return value's `lossSum` is Σ m_i ℓ_i and `weightSum`
    /// is Σ m_i over those rows, so a trainer can walk the positions in chunks and add the values.
    /// On a thrown error the contents of `gradient` are unspecified.
    func evaluate(
        _ batch: TokenBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>
    ) throws -> ObjectiveValue
}

/// A token objective that can also add `scale × d(lossSum)/dlogits` into a gradient that already
/// holds something. Mixtures use it to sum their parts without a second [rows, vocab] buffer.
public protocol GradientAccumulatingTokenObjective: TokenObjective {
    /// Adds `scale × d(lossSum)/dlogits` into `gradient` and returns the unscaled value.
    func accumulate(
        _ batch: TokenBatch, rows: Range<Int>, into gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) throws -> ObjectiveValue
}

extension GradientAccumulatingTokenObjective {
    public func evaluate(
        _ batch: TokenBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>
    ) throws -> ObjectiveValue {
        try batch.validateShape(rows: rows, gradientCount: gradient.count)
        gradient.update(repeating: 0)
        return try accumulate(batch, rows: rows, into: gradient, scale: 1)
    }
}

extension TokenObjective {
    /// Evaluates every row and returns what `retort_objective_v1.token_loss` returns: the mean loss
    /// over weighted positions, with `gradient` (positions × vocab) holding d(mean loss)/dlogits.
    /// A mask summing to zero gives loss 0 and a zero gradient.
    public func evaluateMean(_ batch: TokenBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> Double {
        let value = try evaluate(batch, rows: 0..<batch.positions, gradient: gradient)
        if value.weightSum > 0 {
            let inverse = Float(1 / value.weightSum)
            for index in gradient.indices { gradient[index] *= inverse }
        } else {
            gradient.update(repeating: 0)
        }
        return value.loss
    }
}
