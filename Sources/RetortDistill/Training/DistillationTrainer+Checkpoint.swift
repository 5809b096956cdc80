// Saving and resuming a trainer: weights, AdamW state and step through CheckpointStore, plus the
// data order (the generator state at the epoch's start, the epoch and the cursor) and the model's
// LoRA dropout generators, so a resumed
// run takes the same batches and reproduces the uninterrupted loss curve bit for bit.
import Foundation
import RetortJSON
import RetortTensor

extension DistillationTrainer {
    static let optimizerKind = "adamw"

    /// Writes a checkpoint of the current step under `directory`; returns its folder.
    @discardableResult
    public func saveCheckpoint(to directory: String) throws -> String {
        try CheckpointStore.save(
            directory: directory, step: completedSteps, parameters: optimizer.parameters, optimizer: optimizer,
            optimizerKind: Self.optimizerKind,
            randomStates: model.randomStates.merging(["data_order": dataOrder.epochStartState]) { _, order in order },
            extra: [
                "data_epoch": .number(Double(dataOrder.epoch)), "data_cursor": .number(Double(dataOrder.cursor)),
                "data_count": .number(Double(dataOrder.count)), "data_shuffles": .bool(dataOrder.shuffles),
                "spike_guard_scale": .number(spikeState.learningRateScale),
                "spike_guard_recent": .object(spikeState.recent.mapValues { .array($0.map { .number($0) }) }),
            ].merging(referenceLogps.map {
                ["reference_logps": .array($0.map { .array($0.map { .number(Double($0)) }) }),
                 "reference_fingerprint": .string(Self.fingerprint(preferences))]
            } ?? [:]) { a, _ in a })
    }

    /// Loads the newest checkpoint under `directory` (weights, optimizer, step, data order). The
    /// trainer must have the same model shape, examples and settings as the run that saved it.
    public func resume(from directory: String) throws {
        guard let path = try CheckpointStore.latest(in: directory) else {
            throw TrainerError.checkpointState(path: directory, field: "latest", reason: "is missing: no checkpoint was saved there")
        }
        // Read and check the run state before anything is modified.
        let restoredOrder = try Self.dataOrder(path: path, examples: dataOrder.count, shuffles: dataOrder.shuffles)
        var references: [[Float]]?
        if !preferences.isEmpty && rewardHead == nil { references = try Self.referenceLogps(path: path, preferences: preferences) }
        let restored = try CheckpointStore.restore(from: path, into: optimizer.parameters, optimizer: optimizer,
                                                   optimizerKind: Self.optimizerKind)
        guard let state = restored.randomStates["data_order"] else {
            throw TrainerError.checkpointState(path: path, field: "data_order", reason: "is missing from random_states")
        }
        try model.restoreRandomStates(restored.randomStates)
        dataOrder = TrainingDataOrder(count: restoredOrder.count, shuffles: restoredOrder.shuffles, epochStartState: state,
                                      epoch: restoredOrder.epoch, cursor: restoredOrder.cursor)
        completedSteps = restored.step
        spikeState = Self.spikeState(restored.extra)
        if let references { referenceLogps = references }
    }

    /// A fingerprint of the preferences' tokens and ranks (FNV-1a), saved with the reference
    /// log-probabilities so a resume refuses them for other data of the same size.
    static func fingerprint(_ preferences: [PreferenceExample]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: Int32) {
            for shift in stride(from: 0, to: 32, by: 8) {
                hash ^= UInt64(UInt32(bitPattern: value) >> UInt32(shift) & 0xFF)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        for preference in preferences {
            mix(-1); preference.prompt.forEach(mix)
            for (answer, rank) in zip(preference.answers, preference.ranks) { mix(-2); mix(rank); answer.forEach(mix) }
        }
        return String(hash, radix: 16)
    }

    /// The reference log-probabilities saved with a preference run, checked against its data and answers.
    private static func referenceLogps(path: String, preferences: [PreferenceExample]) throws -> [[Float]] {
        let sidecarPath = path + "/checkpoint.json"
        guard let text = try? String(contentsOfFile: sidecarPath, encoding: .utf8),
              let extra = try? JSONValue(parsing: text)["extra"]?.objectValue
        else { throw TrainerError.checkpointState(path: sidecarPath, field: "extra", reason: "is missing or unreadable") }
        guard extra["reference_fingerprint"]?.stringValue == fingerprint(preferences) else {
            throw TrainerError.checkpointState(path: sidecarPath, field: "reference_fingerprint",
                                               reason: "does not match this run's preference pairs: the data changed since the checkpoint; start the stage over (delete its checkpoints)")
        }
        guard let rows = extra["reference_logps"]?.arrayValue, rows.count == preferences.count else {
            throw TrainerError.checkpointState(path: sidecarPath, field: "reference_logps",
                                               reason: "is missing or does not have one row per preference (\(preferences.count))")
        }
        return try zip(rows, preferences).enumerated().map { index, pair in
            let values = pair.0.arrayValue?.compactMap(\.doubleValue) ?? []
            guard values.count == pair.1.answers.count, values.allSatisfy(\.isFinite) else {
                throw TrainerError.checkpointState(path: sidecarPath, field: "reference_logps",
                                                   reason: "row \(index) does not hold \(pair.1.answers.count) finite values")
            }
            return values.map { Float($0) }
        }
    }

    /// The spike guard's state as saved (a checkpoint from before the guard: a fresh state).
    private static func spikeState(_ extra: [String: JSONValue]) -> LossSpikeGuard.State {
        var state = LossSpikeGuard.State()
        if let scale = extra["spike_guard_scale"]?.doubleValue, scale > 0, scale <= 1 { state.learningRateScale = scale }
        for (kind, losses) in extra["spike_guard_recent"]?.objectValue ?? [:] {
            state.recent[kind] = losses.arrayValue?.compactMap(\.doubleValue) ?? []
        }
        return state
    }

    /// The data-order fields of the sidecar at `path`, checked against this run.
    private static func dataOrder(path: String, examples: Int, shuffles: Bool) throws
        -> (count: Int, shuffles: Bool, epoch: Int, cursor: Int) {
        let sidecarPath = path + "/checkpoint.json"
        guard let text = try? String(contentsOfFile: sidecarPath, encoding: .utf8),
              let extra = try? JSONValue(parsing: text)["extra"]
        else { throw TrainerError.checkpointState(path: sidecarPath, field: "extra", reason: "is missing or unreadable") }
        func integer(_ field: String) throws -> Int {
            guard let value = extra[field]?.doubleValue, value >= 0, value == value.rounded() else {
                throw TrainerError.checkpointState(path: sidecarPath, field: field, reason: "is missing or not a count")
            }
            return Int(value)
        }
        let count = try integer("data_count"), epoch = try integer("data_epoch"), cursor = try integer("data_cursor")
        guard count == examples else {
            throw TrainerError.checkpointState(path: sidecarPath, field: "data_count",
                                               reason: "is \(count) but this run has \(examples) examples")
        }
        guard cursor <= count else {
            throw TrainerError.checkpointState(path: sidecarPath, field: "data_cursor", reason: "is \(cursor), past \(count) examples")
        }
        guard let savedShuffles = extra["data_shuffles"]?.boolValue, savedShuffles == shuffles else {
            throw TrainerError.checkpointState(path: sidecarPath, field: "data_shuffles", reason: "does not match this run's setting \(shuffles)")
        }
        return (count, shuffles, epoch, cursor)
    }
}
