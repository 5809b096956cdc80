// The typed errors of the decoder model: a bad config, a weight of the wrong shape, a call out of
// order. Each names what differs and what to do about it.
import Foundation

public enum ModelError: Error, LocalizedError, Equatable {
    /// config.json is missing a field or holds a value no model can have.
    case invalidConfig(field: String, reason: String)
    /// config.json could not be read or parsed.
    case unreadableConfig(source: String, reason: String)
    /// A named parameter does not exist in this model.
    case unknownParameter(name: String)
    /// A parameter was given values of the wrong shape (loading, copying between models).
    case parameterShapeMismatch(name: String, expected: [Int], actual: [Int])
    /// Two models that must share an architecture do not (layer subset, LoRA merge checks).
    case architectureMismatch(field: String, expected: Int, actual: Int)
    /// A layer index outside 0..<layerCount (layer subsets, hidden states).
    case layerOutOfRange(index: Int, layerCount: Int)
    /// backward was called before forward, or with sizes other than the last forward's.
    case backwardWithoutForward(reason: String)
    /// A LoRA request that cannot be met (rank 0, unknown projection, dropout outside [0, 1)).
    case invalidLoRA(reason: String)

    public var errorDescription: String? {
        switch self {
        case let .invalidConfig(field, reason):
            return "config.json: '\(field)' \(reason)."
        case let .unreadableConfig(source, reason):
            return "\(source): cannot read the model config: \(reason)."
        case let .unknownParameter(name):
            return "the model has no parameter named '\(name)'; check the checkpoint's architecture and names."
        case let .parameterShapeMismatch(name, expected, actual):
            return "parameter '\(name)' has shape \(expected) in the model but \(actual) was given; "
                + "the config and the weights disagree."
        case let .architectureMismatch(field, expected, actual):
            return "the models differ in \(field): \(expected) vs \(actual); both must share it."
        case let .layerOutOfRange(index, layerCount):
            return "layer index \(index) is outside 0..<\(layerCount)."
        case let .backwardWithoutForward(reason):
            return "backward: \(reason); run forward on the same batch first."
        case let .invalidLoRA(reason):
            return "LoRA: \(reason)."
        }
    }
}
