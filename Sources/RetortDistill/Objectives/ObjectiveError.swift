// The typed errors every objective throws on bad input: each case names the field that is wrong,
// what was expected, and what was found, so a bad batch never traps the trainer.
import Foundation

public enum ObjectiveError: Error, Equatable, LocalizedError, Sendable {
    /// A buffer does not hold the number of elements its shape says (`field` has `actual`
    /// elements, the batch's shape needs `expected`).
    case shapeMismatch(field: String, expected: Int, actual: Int)
    /// Student and teacher disagree on a size that must match (vocabulary, hidden width, …).
    case sizeMismatch(what: String, student: Int, teacher: Int)
    /// The requested rows are not inside the batch.
    case rowsOutOfRange(rows: Range<Int>, positions: Int)
    /// A token id (target or sparse teacher id) outside `0..<vocab`.
    case tokenIdOutOfRange(field: String, position: Int, id: Int, vocab: Int)
    /// The same id appears twice among one position's sparse teacher top-k ids.
    case duplicateTopKId(position: Int, id: Int)
    /// The sparse teacher's top-k probabilities add up to more than one.
    case topKMassExceedsOne(position: Int, mass: Double)
    /// A NaN or infinity where only finite numbers are allowed.
    case nonFiniteValue(field: String, index: Int, value: Double)
    /// The loss itself came out NaN or infinite (for example reverse KL against a teacher
    /// probability of exactly zero).
    case nonFiniteLoss(objective: String, position: Int)
    /// A loss weight below zero, or NaN.
    case invalidLossWeight(position: Int, value: Double)
    /// A positive loss weight at a position that has no target, for an objective that needs one.
    case missingTarget(objective: String, position: Int)
    /// The objective needs an input the batch does not carry (teacher, reference log-probs, …).
    case missingInput(objective: String, input: String)
    /// A group of sequences cannot form what the objective needs (for example no preference pair).
    case invalidGroup(objective: String, group: Int32, reason: String)
    /// A sequence length that cannot normalize a log-probability.
    case invalidLength(objective: String, sequence: Int, length: Int)
    /// Temperature must be finite and positive.
    case invalidTemperature(Double)
    /// The registry does not know the name.
    case unknownObjective(name: String, known: [String])
    /// A hyper-parameter the objective does not take.
    case unknownParameter(objective: String, parameter: String, known: [String])
    /// A hyper-parameter outside its allowed range.
    case parameterOutOfRange(objective: String, parameter: String, value: Double, allowed: String)
    /// A mixture was given nothing to mix, or parts of different levels.
    case invalidMixture(reason: String)
    /// The registry made an objective of another level than the caller asked for.
    case wrongLevel(name: String, level: String, expected: String)
    /// A layer mapping refers to a layer that was not given.
    case layerOutOfRange(side: String, layer: Int, count: Int)

    public var errorDescription: String? {
        switch self {
        case let .shapeMismatch(field, expected, actual):
            return "\(field) holds \(actual) values but the batch shape needs \(expected); "
                + "check positions, vocab (or width) and k."
        case let .sizeMismatch(what, student, teacher):
            return "\(what) differs: student \(student), teacher \(teacher); "
                + "use the same tokenizer/vocabulary, or a projection for hidden widths."
        case let .rowsOutOfRange(rows, positions):
            return "rows \(rows.lowerBound)..<\(rows.upperBound) are outside the batch of "
                + "\(positions) positions."
        case let .tokenIdOutOfRange(field, position, id, vocab):
            return "\(field) at position \(position) is \(id), outside the vocabulary 0..<\(vocab)."
        case let .duplicateTopKId(position, id):
            return "teacher top-k ids at position \(position) list id \(id) twice; "
                + "each id may appear once."
        case let .topKMassExceedsOne(position, mass):
            return "teacher top-k probabilities at position \(position) sum to \(mass), more "
                + "than 1; pass log-probabilities, not logits."
        case let .nonFiniteValue(field, index, value):
            return "\(field)[\(index)] is \(value); only finite numbers are allowed there."
        case let .nonFiniteLoss(objective, position):
            return "\(objective) produced a non-finite loss at position \(position); the teacher "
                + "may give probability zero where the student does not (try a skew or JSD "
                + "objective), or the inputs are too large."
        case let .invalidLossWeight(position, value):
            return "loss_mask[\(position)] is \(value); weights must be finite and >= 0."
        case let .missingTarget(objective, position):
            return "\(objective) needs a target wherever the loss weight is positive, but "
                + "position \(position) has target -1 and a positive weight; set its weight to 0."
        case let .missingInput(objective, input):
            return "\(objective) needs \(input), which the batch does not carry."
        case let .invalidGroup(objective, group, reason):
            return "\(objective): group \(group) \(reason)."
        case let .invalidLength(objective, sequence, length):
            return "\(objective): sequence \(sequence) has length \(length); lengths must be >= 1."
        case let .invalidTemperature(value):
            return "temperature is \(value); it must be finite and > 0."
        case let .unknownObjective(name, known):
            return "no objective named '\(name)'; known objectives: \(known.joined(separator: ", "))."
        case let .unknownParameter(objective, parameter, known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "\(objective) takes no parameter '\(parameter)'; it takes: \(list)."
        case let .parameterOutOfRange(objective, parameter, value, allowed):
            return "\(objective): parameter '\(parameter)' is \(value); it must be \(allowed)."
        case let .invalidMixture(reason):
            return "invalid objective mixture: \(reason)."
        case let .wrongLevel(name, level, expected):
            return "'\(name)' is a \(level)-level objective; a \(expected)-level one is needed here."
        case let .layerOutOfRange(side, layer, count):
            return "layer mapping names \(side) layer \(layer), but \(count) \(side) layers were given."
        }
    }
}
