// AdamW (Loshchilov & Hutter, 2019): Adam with bias correction and weight decay decoupled from the
// gradient, as in PyTorch's torch.optim.AdamW and llm.c.
import Foundation

public final class AdamW: Optimizer {
    public struct Configuration: Sendable, Equatable, Codable {
        public var beta1: Float
        public var beta2: Float
        public var epsilon: Float
        /// Decoupled decay: each step multiplies decayed parameters by (1 - learningRate * weightDecay).
        public var weightDecay: Float

        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    public let parameters: [TrainableParameter]
    public var configuration: Configuration
    public private(set) var stepCount = 0
    /// First and second moment estimates, one flat buffer per parameter.
    let m: [Tensor]
    let v: [Tensor]

    public init(parameters: [TrainableParameter], configuration: Configuration = Configuration()) {
        self.parameters = parameters
        self.configuration = configuration
        m = zeroBuffers(like: parameters)
        v = zeroBuffers(like: parameters)
    }

    /// One update with step t = stepCount + 1:
    ///   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
    ///   p -= lr * ( (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps) + weightDecay * p )
    public func step(learningRate: Float) {
        stepCount += 1
        let c = configuration
        let correction1 = Float(1 - pow(Double(c.beta1), Double(stepCount)))
        let correction2 = Float(1 - pow(Double(c.beta2), Double(stepCount)))
        for (index, parameter) in parameters.enumerated() {
            let p = parameter.value.data, g = parameter.gradient.data
            let mp = m[index].data, vp = v[index].data
            let decay = parameter.weightDecay ? c.weightDecay : 0
            Parallel.forEachRange(parameter.value.count, costPerItem: 12) { range in
                for i in range {
                    let gradient = g[i]
                    let mi = c.beta1 * mp[i] + (1 - c.beta1) * gradient
                    let vi = c.beta2 * vp[i] + (1 - c.beta2) * gradient * gradient
                    mp[i] = mi
                    vp[i] = vi
                    let mHat = mi / correction1
                    let vHat = vi / correction2
                    p[i] -= learningRate * (mHat / (vHat.squareRoot() + c.epsilon) + decay * p[i])
                }
            }
        }
    }

    public func exportState() -> OptimizerState {
        OptimizerState(step: stepCount, buffers: ["m": m.map { $0.toArray() }, "v": v.map { $0.toArray() }])
    }

    public func importState(_ state: OptimizerState) throws {
        guard state.step >= 0 else {
            throw TensorError.optimizerStateMismatch(optimizer: "AdamW", reason: "negative step count \(state.step)")
        }
        try importBuffers(m, key: "m", from: state, optimizer: "AdamW", parameters: parameters)
        try importBuffers(v, key: "v", from: state, optimizer: "AdamW", parameters: parameters)
        stepCount = state.step
    }
}
