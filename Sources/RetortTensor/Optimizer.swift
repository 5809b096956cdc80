// What every optimizer shares: the trainable parameters it updates, and a state (step count plus
// flat per-parameter buffers) that a checkpoint saves and restores bit for bit.

/// One parameter tensor and the gradient the backward pass accumulates into it.
public struct TrainableParameter: Sendable {
    /// The checkpoint name, e.g. "layers.0.attention.wq".
    public let name: String
    public let value: Tensor
    public let gradient: Tensor
    /// Whether decoupled weight decay applies (usually matrices yes, norms and biases no).
    public let weightDecay: Bool

    public init(name: String, value: Tensor, gradient: Tensor, weightDecay: Bool = true) throws {
        guard value.count == gradient.count else {
            throw TensorError.shapeMismatch(op: "TrainableParameter(\(name))", argument: "gradient",
                                            expected: value.shape, actual: gradient.shape)
        }
        self.name = name
        self.value = value
        self.gradient = gradient
        self.weightDecay = weightDecay
    }
}

/// An optimizer's complete state: restoring it into an optimizer over the same parameters makes the
/// next step identical to the one the saved run would have taken.
public struct OptimizerState: Codable, Equatable, Sendable {
    /// Steps taken so far (AdamW's bias correction depends on it).
    public var step: Int
    /// Named buffer sets ("m" and "v" for AdamW, "momentum" for SGD); buffers[key][i] is the flat
    /// buffer of parameters[i], with that parameter's element count.
    public var buffers: [String: [[Float]]]

    public init(step: Int, buffers: [String: [[Float]]]) {
        self.step = step
        self.buffers = buffers
    }
}

public protocol Optimizer: AnyObject {
    var parameters: [TrainableParameter] { get }
    /// Steps taken so far.
    var stepCount: Int { get }
    /// Updates every parameter from its gradient. Does not zero the gradients.
    func step(learningRate: Float)
    func exportState() -> OptimizerState
    func importState(_ state: OptimizerState) throws
}

extension Optimizer {
    /// Sets every gradient to zero, before the next accumulation.
    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.zero() }
    }
}

/// Buffers with one zero-filled tensor per parameter (moments, momentum).
func zeroBuffers(like parameters: [TrainableParameter]) -> [Tensor] {
    parameters.map { Tensor(shape: [$0.value.count]) }
}

/// Loads `state.buffers[key]` into `tensors`, checking that every count matches.
func importBuffers(_ tensors: [Tensor], key: String, from state: OptimizerState, optimizer: String,
                   parameters: [TrainableParameter]) throws {
    guard let arrays = state.buffers[key] else {
        throw TensorError.optimizerStateMismatch(optimizer: optimizer, reason: "the state has no '\(key)' buffers")
    }
    guard arrays.count == tensors.count else {
        throw TensorError.optimizerStateMismatch(
            optimizer: optimizer, reason: "'\(key)' holds \(arrays.count) buffers for \(tensors.count) parameters")
    }
    for (i, array) in arrays.enumerated() where array.count != tensors[i].count {
        throw TensorError.optimizerStateMismatch(
            optimizer: optimizer,
            reason: "'\(key)' buffer of \(parameters[i].name) has \(array.count) values, the parameter has \(tensors[i].count)")
    }
    for (tensor, array) in zip(tensors, arrays) { try tensor.load(array) }
}
