// A finite-difference gradient checker: perturbs each input element, measures the change of a
// scalar loss by central differences, and reports the worst disagreement with the analytic gradient.

public enum GradientCheck {
    /// The worst element found by `compare`.
    public struct Report: Sendable, Equatable {
        /// max over elements of |analytic - numeric| / max(|analytic|, |numeric|, floor).
        public var worstRelativeError: Double
        /// Which input and element gave it, and the two values there.
        public var input: Int
        public var element: Int
        public var analytic: Double
        public var numeric: Double
    }

    /// Compares analyticGradients[i] (d loss / d inputs[i]) with central differences
    /// (loss(x + h) - loss(x - h)) / 2h, perturbing each element of each input in place (and
    /// restoring it). `loss` must recompute the forward pass from the inputs every time it is called.
    ///
    /// Float32 forward passes carry rounding noise of about 1e-7 relative, which central
    /// differences divide by 2h; h = 1e-2 keeps that noise near 1e-5 while the truncation error
    /// stays O(h^2) for smooth ops. `floor` keeps near-zero gradients from reporting huge relative
    /// errors from that noise: with gradients of order 1, a floor of 1e-2 means "1e-2 absolute".
    public static func compare(
        inputs: [Tensor], analyticGradients: [Tensor], epsilon: Float = 1e-2, floor: Double = 1e-2,
        loss: () throws -> Double
    ) throws -> Report {
        guard inputs.count == analyticGradients.count else {
            throw TensorError.lengthMismatch(op: "GradientCheck.compare", argument: "analyticGradients",
                                             expected: inputs.count, actual: analyticGradients.count)
        }
        var report = Report(worstRelativeError: 0, input: -1, element: -1, analytic: 0, numeric: 0)
        for (index, (input, gradient)) in zip(inputs, analyticGradients).enumerated() {
            try expectShape(gradient, input.shape, op: "GradientCheck.compare", argument: "analyticGradients[\(index)]")
            for element in 0..<input.count {
                let original = input.data[element]
                input.data[element] = original + epsilon
                let plus = try loss()
                input.data[element] = original - epsilon
                let minus = try loss()
                input.data[element] = original
                // the step actually taken in float32, not the nominal epsilon
                let step = Double(original + epsilon) - Double(original - epsilon)
                let numeric = (plus - minus) / step
                let analytic = Double(gradient.data[element])
                let error = abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)
                if error > report.worstRelativeError || !error.isFinite {
                    report = Report(worstRelativeError: error.isFinite ? error : .infinity, input: index,
                                    element: element, analytic: analytic, numeric: numeric)
                }
            }
        }
        return report
    }

    /// Σ_i out[i] * weights[i] in double precision: the scalar loss the op checks use, whose gradient
    /// with respect to out is exactly `weights` (so `weights` is the dout handed to backward).
    public static func projection(_ out: Tensor, _ weights: Tensor) -> Double {
        var sum: Double = 0
        for i in 0..<min(out.count, weights.count) { sum += Double(out.data[i]) * Double(weights.data[i]) }
        return sum
    }
}
