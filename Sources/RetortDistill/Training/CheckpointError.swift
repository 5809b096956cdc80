// Why a checkpoint could not be written or restored: which file or parameter, what differs.
import Foundation

public enum CheckpointError: Error, LocalizedError, Equatable {
    case unreadable(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case missingParameter(String, path: String)
    case unexpectedParameter(String, path: String)
    case shapeMismatch(parameter: String, checkpoint: [Int], model: [Int])
    case optimizerMismatch(checkpoint: String, current: String)
    case writeFailed(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the checkpoint: \(reason)"
        case .corrupt(let path, let reason): "\(path): the checkpoint is corrupt: \(reason)"
        case .missingParameter(let name, let path):
            "\(path): the model has parameter \(name), which the checkpoint lacks (was it saved from another model?)"
        case .unexpectedParameter(let name, let path):
            "\(path): the checkpoint has parameter \(name), which the model lacks (was it saved from another model?)"
        case .shapeMismatch(let name, let checkpoint, let model):
            "parameter \(name) has shape \(checkpoint) in the checkpoint but \(model) in the model"
        case .optimizerMismatch(let checkpoint, let current):
            "the checkpoint was trained with \(checkpoint), the run now uses \(current); resume with the same optimizer"
        case .writeFailed(let path, let reason): "\(path): cannot write the checkpoint: \(reason)"
        }
    }
}
