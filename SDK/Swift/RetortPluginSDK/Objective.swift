// A training objective declared by a Swift plugin (retort.objective.v1): token level (student
// logits → loss, dL/dlogits) or sequence level (per-sequence log-probs → loss, dL/dlogp).
import RetortABI

public struct Objective: Sendable {
    public enum Level: String, Sendable {
        case token, sequence
    }
    public typealias TokenLoss = @Sendable (_ batch: TokenBatch, _ gradLogits: UnsafeMutableBufferPointer<Float>)
        throws -> Float
    public typealias SequenceLoss = @Sendable (_ batch: SequenceBatch, _ gradLogps: UnsafeMutableBufferPointer<Float>)
        throws -> Float

    public var name: String
    public var description: String
    public var level: Level
    /// Hyper-parameters and their defaults, as listed to the host.
    public var parameters: [String: Double]
    public var tokenLoss: TokenLoss?
    public var sequenceLoss: SequenceLoss?

    public static func token(name: String, description: String, parameters: [String: Double] = [:],
                             loss: @escaping TokenLoss) -> Objective {
        Objective(name: name, description: description, level: .token, parameters: parameters,
                  tokenLoss: loss, sequenceLoss: nil)
    }

    public static func sequence(name: String, description: String, parameters: [String: Double] = [:],
                                loss: @escaping SequenceLoss) -> Objective {
        Objective(name: name, description: description, level: .sequence, parameters: parameters,
                  tokenLoss: nil, sequenceLoss: loss)
    }
}

/// Swift view of `retort_token_batch_v1`; the buffers are borrowed for the call.
public struct TokenBatch {
    public let positions: Int
    public let vocab: Int
    /// Row-major [positions][vocab].
    public let studentLogits: UnsafeBufferPointer<Float>
    /// Target id per position, -1 where there is none.
    public let targets: UnsafeBufferPointer<Int32>
    public let lossMask: UnsafeBufferPointer<Float>
    /// Dense teacher log-probabilities [positions][vocab], if given.
    public let teacherLogProbs: UnsafeBufferPointer<Float>?
    public let teacherTopKIDs: UnsafeBufferPointer<Int32>?
    public let teacherTopKLogProbs: UnsafeBufferPointer<Float>?
    public let teacherK: Int
    public let temperature: Float
    /// Recipe hyper-parameters merged over the declared defaults.
    public let parameters: [String: Double]

    init(_ c: retort_token_batch_v1, defaults: [String: Double]) throws(PluginFailure) {
        guard c.positions >= 0, c.vocab > 0, let logits = c.student_logits, let targets = c.targets,
              let mask = c.loss_mask
        else {
            throw .invalidArgument("token batch needs student_logits, targets and loss_mask, and vocab > 0")
        }
        let p = Int(c.positions), v = Int(c.vocab), k = Int(max(0, c.teacher_k))
        positions = p
        vocab = v
        teacherK = k
        studentLogits = UnsafeBufferPointer(start: logits, count: p * v)
        self.targets = UnsafeBufferPointer(start: targets, count: p)
        lossMask = UnsafeBufferPointer(start: mask, count: p)
        teacherLogProbs = c.teacher_logprobs.map { UnsafeBufferPointer(start: $0, count: p * v) }
        teacherTopKIDs = c.teacher_topk_ids.map { UnsafeBufferPointer(start: $0, count: p * k) }
        teacherTopKLogProbs = c.teacher_topk_logprobs.map { UnsafeBufferPointer(start: $0, count: p * k) }
        temperature = c.temperature > 0 ? c.temperature : 1
        parameters = try mergedParameters(c.parameters_json, defaults: defaults)
    }
}

/// Swift view of `retort_sequence_batch_v1`; the buffers are borrowed for the call.
public struct SequenceBatch {
    public let count: Int
    public let logps: UnsafeBufferPointer<Float>
    public let referenceLogps: UnsafeBufferPointer<Float>?
    public let rewards: UnsafeBufferPointer<Float>?
    public let groupIDs: UnsafeBufferPointer<Int32>?
    public let ranks: UnsafeBufferPointer<Int32>?
    public let lengths: UnsafeBufferPointer<Int32>?
    public let parameters: [String: Double]

    init(_ c: retort_sequence_batch_v1, defaults: [String: Double]) throws(PluginFailure) {
        guard c.count >= 0, let logps = c.logps else {
            throw .invalidArgument("sequence batch needs logps and a count >= 0")
        }
        let n = Int(c.count)
        count = n
        self.logps = UnsafeBufferPointer(start: logps, count: n)
        referenceLogps = c.reference_logps.map { UnsafeBufferPointer(start: $0, count: n) }
        rewards = c.rewards.map { UnsafeBufferPointer(start: $0, count: n) }
        groupIDs = c.group_ids.map { UnsafeBufferPointer(start: $0, count: n) }
        ranks = c.ranks.map { UnsafeBufferPointer(start: $0, count: n) }
        lengths = c.lengths.map { UnsafeBufferPointer(start: $0, count: n) }
        parameters = try mergedParameters(c.parameters_json, defaults: defaults)
    }
}

/// Parses the recipe's hyper-parameter JSON over the declared defaults; unknown names are errors.
func mergedParameters(_ json: UnsafePointer<CChar>?, defaults: [String: Double]) throws(PluginFailure)
    -> [String: Double]
{
    guard let json, json.pointee != 0 else { return defaults }
    let value: JSONValue
    do { value = try JSONValue(parsing: String(cString: json)) } catch {
        throw .invalidArgument("objective parameters: \(error.message)")
    }
    guard let members = value.objectValue else {
        throw .invalidArgument("objective parameters must be a JSON object, found \(value.typeName)")
    }
    var merged = defaults
    for (key, item) in members {
        guard defaults[key] != nil else {
            throw .invalidArgument("unknown objective parameter '\(key)'; known: \(defaults.keys.sorted())")
        }
        guard let number = item.doubleValue else {
            throw .invalidArgument("objective parameter '\(key)' must be a number, found \(item.typeName)")
        }
        merged[key] = number
    }
    return merged
}
