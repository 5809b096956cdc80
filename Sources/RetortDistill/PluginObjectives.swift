// Plugin objectives (`retort.objective.v1`) as `TokenObjective` / `SequenceObjective`, so the
// trainer calls a plugin's loss exactly like a built-in one. The C call returns a mean and the
// gradient of that mean; the adapters turn them back into the sums the protocols use.
import Foundation
import RetortABI
import RetortHost

public struct PluginTokenObjective: TokenObjective {
    public let plugin: LoadedPlugin
    /// The objective's name inside the plugin; `name` is the qualified "plugin.objective".
    public let objectiveName: String
    public var name: String { "\(plugin.id).\(objectiveName)" }

    public init(plugin: LoadedPlugin, objective: String) throws(RegistryError) {
        try requireObjective(objective, of: plugin, level: .token)
        self.plugin = plugin
        objectiveName = objective
    }

    /// Hands rows `rows` to the plugin as a batch of their own (pointers offset, nothing copied).
    /// L = Σ m_i ℓ_i / Σ m_i over those rows (retort.h), so the loss sum is L · Σ m_i.
    public func evaluate(_ batch: TokenBatch, rows: Range<Int>, gradient: UnsafeMutableBufferPointer<Float>) throws
        -> ObjectiveValue
    {
        try batch.validateShape(rows: rows, gradientCount: gradient.count)
        let v = batch.vocab, first = rows.lowerBound
        var weight = 0.0
        for row in rows { weight += try batch.weight(at: row) }
        let k = batch.teacherK
        let loss: Float = try batch.parametersJSON.withCString { parameters in
            let cBatch = retort_token_batch_v1(
                student_logits: batch.studentLogits.baseAddress.map { $0 + first * v },
                positions: Int64(rows.count), vocab: Int64(v),
                targets: try targetsPointer(batch, first: first, count: rows.count),
                loss_mask: batch.lossMask.baseAddress.map { $0 + first },
                teacher_logprobs: batch.teacherLogprobs?.baseAddress.map { $0 + first * v },
                teacher_topk_ids: batch.teacherTopKIds?.baseAddress.map { $0 + first * k },
                teacher_topk_logprobs: batch.teacherTopKLogprobs?.baseAddress.map { $0 + first * k },
                teacher_k: Int32(k), temperature: batch.temperature, parameters_json: parameters)
            return try plugin.tokenLoss(objectiveName, batch: cBatch, gradient: gradient.baseAddress!)
        }
        guard loss.isFinite else { throw PluginObjectiveError.nonFiniteLoss(name, Double(loss)) }
        for index in gradient.indices { gradient[index] = Float(Double(gradient[index]) * weight) }
        return ObjectiveValue(lossSum: Double(loss) * weight, weightSum: weight)
    }

    /// The ABI needs a targets buffer; a batch without targets passes -1 everywhere.
    private func targetsPointer(_ batch: TokenBatch, first: Int, count: Int) throws -> UnsafePointer<Int32>? {
        if let targets = batch.targets { return targets.baseAddress.map { $0 + first } }
        throw PluginObjectiveError.missingTargets(name)
    }
}

public struct PluginSequenceObjective: SequenceObjective {
    public let plugin: LoadedPlugin
    public let objectiveName: String
    public var name: String { "\(plugin.id).\(objectiveName)" }
    public var gradientInput: SequenceGradientInput { .logps }

    public init(plugin: LoadedPlugin, objective: String) throws(RegistryError) {
        try requireObjective(objective, of: plugin, level: .sequence)
        self.plugin = plugin
        objectiveName = objective
    }

    /// The plugin returns a mean and its gradient, so the value carries weight 1.
    public func evaluate(_ batch: SequenceBatch, gradient: UnsafeMutableBufferPointer<Float>) throws -> ObjectiveValue {
        guard gradient.count == batch.count else {
            throw ObjectiveError.shapeMismatch(field: "gradient", expected: batch.count, actual: gradient.count)
        }
        let loss: Float = try batch.parametersJSON.withCString { parameters in
            let cBatch = retort_sequence_batch_v1(
                logps: batch.logps.baseAddress, count: Int64(batch.count), reference_logps: batch.referenceLogps?.baseAddress,
                rewards: batch.rewards?.baseAddress, group_ids: batch.groupIds?.baseAddress, ranks: batch.ranks?.baseAddress,
                lengths: batch.lengths?.baseAddress, parameters_json: parameters)
            return try plugin.sequenceLoss(objectiveName, batch: cBatch, gradient: gradient.baseAddress!)
        }
        guard loss.isFinite else { throw PluginObjectiveError.nonFiniteLoss(name, Double(loss)) }
        return ObjectiveValue(lossSum: Double(loss), weightSum: 1)
    }
}

/// Checks that `plugin` declares `name` at `level`, with an error listing what it has otherwise.
func requireObjective(_ name: String, of plugin: LoadedPlugin, level: RetortHost.ObjectiveDescriptor.Level) throws(RegistryError) {
    guard let descriptor = plugin.objectives.first(where: { $0.name == name }) else {
        throw RegistryError("plugin \(plugin.id) has no objective '\(name)'; it has \(plugin.objectives.map(\.name))")
    }
    guard descriptor.level == level else {
        throw RegistryError("objective \(plugin.id).\(name) is \(descriptor.level.rawValue) level, not \(level.rawValue) level")
    }
}

public enum PluginObjectiveError: Error, LocalizedError, Equatable {
    case nonFiniteLoss(String, Double)
    case missingTargets(String)

    public var errorDescription: String? {
        switch self {
        case .nonFiniteLoss(let name, let value): "objective \(name) returned a non-finite loss (\(value)); the step is skipped"
        case .missingTargets(let name): "objective \(name) is called through the C ABI, which needs targets; the batch has none"
        }
    }
}
