// Why the trainer cannot go on: which example, setting or checkpoint field is wrong, and what differs.
import Foundation

public enum TrainerError: Error, Equatable, LocalizedError, Sendable {
    case emptyExample(index: Int)
    case exampleLengthMismatch(index: Int, field: String, expected: Int, actual: Int)
    case tokenOutOfRange(index: Int, position: Int, id: Int, vocab: Int)
    case exampleTooLong(index: Int, length: Int, sequenceLength: Int)
    /// Examples of one batch carry teachers of different kinds (dense, sparse k, none).
    case mixedTeachers(index: Int, expected: String, actual: String)
    case noExamples
    /// A preference example that ranks nothing against anything (fewer than two answers, all tied…).
    case invalidPreference(index: Int, reason: String)
    case invalidSetting(name: String, value: String, allowed: String)
    /// A checkpoint lacks the trainer's run state or holds a value that does not fit this run.
    case checkpointState(path: String, field: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .emptyExample(index): "example \(index) has no tokens."
        case let .exampleLengthMismatch(index, field, expected, actual):
            "example \(index): \(field) has \(actual) values, its tokens need \(expected)."
        case let .tokenOutOfRange(index, position, id, vocab):
            "example \(index): token \(id) at position \(position) is outside the vocabulary 0..<\(vocab)."
        case let .exampleTooLong(index, length, sequenceLength):
            "example \(index) has \(length) tokens, more than the sequence length \(sequenceLength); raise sequenceLength or truncate it."
        case let .mixedTeachers(index, expected, actual):
            "example \(index) has a \(actual) teacher but the batch has \(expected) ones; give every example the same kind of teacher."
        case .noExamples: "the training set is empty."
        case let .invalidPreference(index, reason): "preference \(index) \(reason)."
        case let .invalidSetting(name, value, allowed): "trainer setting \(name) is \(value); it must be \(allowed)."
        case let .checkpointState(path, field, reason): "\(path): trainer state '\(field)' \(reason)."
        }
    }
}
