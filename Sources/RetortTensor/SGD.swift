// Stochastic gradient descent with optional momentum and (coupled, L2) weight decay, following
// PyTorch's torch.optim.SGD with dampening 0 and no Nesterov term.

public final class SGD: Optimizer {
    public struct Configuration: Sendable, Equatable, Codable {
        /// 0 disables momentum (and its buffers stay zero).
        public var momentum: Float
        /// L2 penalty added to the gradient: g += weightDecay * p.
        public var weightDecay: Float

        public init(momentum: Float = 0, weightDecay: Float = 0) {
            self.momentum = momentum
            self.weightDecay = weightDecay
        }
    }

    public let parameters: [TrainableParameter]
    public var configuration: Configuration
    public private(set) var stepCount = 0
    /// The velocity of each parameter, flat.
    let momentumBuffers: [Tensor]

    public init(parameters: [TrainableParameter], configuration: Configuration = Configuration()) {
        self.parameters = parameters
        self.configuration = configuration
        momentumBuffers = zeroBuffers(like: parameters)
    }

    /// One update: d = g + weightDecay * p; with momentum, b = d on the first step and
    /// b = momentum * b + d after, and d = b; then p -= lr * d.
    public func step(learningRate: Float) {
        stepCount += 1
        let c = configuration
        let first = stepCount == 1
        for (index, parameter) in parameters.enumerated() {
            let p = parameter.value.data, g = parameter.gradient.data, b = momentumBuffers[index].data
            let decay = parameter.weightDecay ? c.weightDecay : 0
            Parallel.forEachRange(parameter.value.count, costPerItem: 6) { range in
                for i in range {
                    var direction = g[i] + decay * p[i]
                    if c.momentum != 0 {
                        b[i] = first ? direction : c.momentum * b[i] + direction
                        direction = b[i]
                    }
                    p[i] -= learningRate * direction
                }
            }
        }
    }

    public func exportState() -> OptimizerState {
        OptimizerState(step: stepCount, buffers: ["momentum": momentumBuffers.map { $0.toArray() }])
    }

    public func importState(_ state: OptimizerState) throws {
        guard state.step >= 0 else {
            throw TensorError.optimizerStateMismatch(optimizer: "SGD", reason: "negative step count \(state.step)")
        }
        try importBuffers(momentumBuffers, key: "momentum", from: state, optimizer: "SGD", parameters: parameters)
        stepCount = state.step
    }
}
