// Training checkpoints: weights, optimizer state, step, random-generator states and free-form
// run state, saved so that resuming reproduces the uninterrupted loss curve bit for bit.
//
// Layout of one checkpoint (a folder, renamed into place whole so a crash never leaves half):
//   step-00000120/model.safetensors      parameters by name, F32
//   step-00000120/optimizer.safetensors  "<buffer>/<parameter>" (AdamW: m, v), F32
//   step-00000120/checkpoint.json        step, optimizer kind, RNG states, shapes, run state
// and `latest`, a text file naming the newest folder, replaced atomically after it.
import Foundation
import RetortJSON
import RetortModels
import RetortTensor

public struct RestoredCheckpoint: Sendable {
    public let path: String
    public let step: Int
    /// Generator states by the names they were saved under; `SplitMix64(seed:)` resumes one.
    public let randomStates: [String: UInt64]
    /// Whatever the trainer saved with `extra` (data cursor, schedule, …).
    public let extra: [String: JSONValue]
}

public enum CheckpointStore {
    static let formatName = "retort-checkpoint"
    static let formatVersion = 1.0

    /// The folder a checkpoint of `step` is saved in, under the checkpoint directory.
    public static func folderName(step: Int) -> String { "step-" + String(format: "%08d", step) }

    /// Writes a checkpoint of `parameters` and `optimizer` at `step` under `directory`, then
    /// points `latest` at it. Returns the checkpoint folder.
    @discardableResult
    public static func save(directory: String, step: Int, parameters: [TrainableParameter], optimizer: any Optimizer,
                            optimizerKind: String, randomStates: [String: UInt64] = [:],
                            extra: [String: JSONValue] = [:]) throws -> String {
        let fm = FileManager.default
        let final = directory + "/" + folderName(step: step)
        let staging = directory + "/.\(folderName(step: step)).tmp-\(getpid())"
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? fm.removeItem(atPath: staging)
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)

            var model = SafeTensorsWriter()
            model.metadata = ["format": formatName]
            for p in parameters { try model.add(p.name, floats: p.value.toArray(), shape: p.value.shape) }
            try model.write(to: staging + "/model.safetensors")

            let state = optimizer.exportState()
            var optimizerFile = SafeTensorsWriter()
            for buffer in state.buffers.keys.sorted() {
                let arrays = state.buffers[buffer]!
                guard arrays.count == parameters.count else {
                    throw CheckpointError.writeFailed(path: final, reason: "optimizer buffer \(buffer) has \(arrays.count) entries for \(parameters.count) parameters")
                }
                for (p, values) in zip(parameters, arrays) {
                    try optimizerFile.add("\(buffer)/\(p.name)", floats: values, shape: [values.count])
                }
            }
            try optimizerFile.write(to: staging + "/optimizer.safetensors")

            let sidecar: JSONValue = [
                "format": .string(formatName), "version": .number(formatVersion), "step": .number(Double(step)),
                "optimizer": ["kind": .string(optimizerKind), "step": .number(Double(state.step)),
                              "buffers": .array(state.buffers.keys.sorted().map { .string($0) })],
                // UInt64 states do not fit a JSON double exactly, so they are decimal strings.
                "random_states": .object(randomStates.mapValues { .string(String($0)) }),
                "parameters": .array(parameters.map { ["name": .string($0.name), "shape": .array($0.value.shape.map { .number(Double($0)) })] }),
                "extra": .object(extra),
            ]
            try AtomicFile.write(Data(sidecar.jsonText.utf8), to: staging + "/checkpoint.json")

            // Swap the staged folder into place; an older checkpoint of the same step is replaced.
            if fm.fileExists(atPath: final) {
                let old = staging + ".old"
                try fm.moveItem(atPath: final, toPath: old)
                try fm.moveItem(atPath: staging, toPath: final)
                try? fm.removeItem(atPath: old)
            } else {
                try fm.moveItem(atPath: staging, toPath: final)
            }
            try AtomicFile.write(Data(folderName(step: step).utf8), to: directory + "/latest")
        } catch let error as CheckpointError {
            try? fm.removeItem(atPath: staging)
            throw error
        } catch {
            try? fm.removeItem(atPath: staging)
            throw CheckpointError.writeFailed(path: final, reason: error.localizedDescription)
        }
        return final
    }

    /// The newest checkpoint folder under `directory`, or nil when none was saved yet.
    public static func latest(in directory: String) throws -> String? {
        let pointer = directory + "/latest"
        guard FileManager.default.fileExists(atPath: pointer) else { return nil }
        guard let name = try? String(contentsOfFile: pointer, encoding: .utf8),
              name.hasPrefix("step-"), !name.contains("/")
        else {
            throw CheckpointError.corrupt(path: pointer, reason: "it should name a step-NNNNNNNN folder")
        }
        let path = directory + "/" + name
        guard FileManager.default.fileExists(atPath: path + "/checkpoint.json") else {
            throw CheckpointError.corrupt(path: pointer, reason: "it names \(name), which has no checkpoint.json")
        }
        return path
    }

    /// Loads the checkpoint in `path` into `parameters` and `optimizer`. Every parameter must
    /// match by name and shape; nothing is modified unless everything checks out.
    public static func restore(from path: String, into parameters: [TrainableParameter], optimizer: any Optimizer,
                               optimizerKind: String) throws -> RestoredCheckpoint {
        let sidecarPath = path + "/checkpoint.json"
        guard let text = try? String(contentsOfFile: sidecarPath, encoding: .utf8) else {
            throw CheckpointError.unreadable(path: sidecarPath, reason: "missing or not UTF-8")
        }
        let sidecar: JSONValue
        do { sidecar = try JSONValue(parsing: text) } catch {
            throw CheckpointError.corrupt(path: sidecarPath, reason: error.message)
        }
        guard sidecar["format"]?.stringValue == formatName, sidecar["version"]?.doubleValue == formatVersion,
              let step = sidecar["step"]?.doubleValue, let optimizerStep = sidecar["optimizer"]?["step"]?.doubleValue,
              let kind = sidecar["optimizer"]?["kind"]?.stringValue,
              let bufferNames = sidecar["optimizer"]?["buffers"]?.arrayValue?.compactMap(\.stringValue)
        else {
            throw CheckpointError.corrupt(path: sidecarPath, reason: "not a \(formatName) v\(Int(formatVersion)) sidecar")
        }
        guard kind == optimizerKind else { throw CheckpointError.optimizerMismatch(checkpoint: kind, current: optimizerKind) }
        var randomStates: [String: UInt64] = [:]
        for (name, value) in sidecar["random_states"]?.objectValue ?? [:] {
            guard let text = value.stringValue, let state = UInt64(text) else {
                throw CheckpointError.corrupt(path: sidecarPath, reason: "random state \(name) is not a decimal UInt64")
            }
            randomStates[name] = state
        }

        let model = try open(path + "/model.safetensors")
        let names = Set(parameters.map(\.name))
        if let extra = model.tensors.first(where: { !names.contains($0.name) }) {
            throw CheckpointError.unexpectedParameter(extra.name, path: path)
        }
        var values: [[Float]] = []
        for p in parameters {
            guard let info = try? model.info(p.name) else { throw CheckpointError.missingParameter(p.name, path: path) }
            guard info.shape == p.value.shape else {
                throw CheckpointError.shapeMismatch(parameter: p.name, checkpoint: info.shape, model: p.value.shape)
            }
            values.append(try read(model, p.name))
        }
        let optimizerFile = try open(path + "/optimizer.safetensors")
        var buffers: [String: [[Float]]] = [:]
        for buffer in bufferNames {
            buffers[buffer] = try parameters.map { p in
                let values = try read(optimizerFile, "\(buffer)/\(p.name)")
                guard values.count == p.value.count else {
                    throw CheckpointError.shapeMismatch(parameter: "\(buffer)/\(p.name)", checkpoint: [values.count], model: [p.value.count])
                }
                return values
            }
        }
        // Everything read and checked: now modify the model and optimizer.
        try optimizer.importState(OptimizerState(step: Int(optimizerStep), buffers: buffers))
        for (p, v) in zip(parameters, values) { try p.value.load(v) }
        return RestoredCheckpoint(path: path, step: Int(step), randomStates: randomStates,
                                  extra: sidecar["extra"]?.objectValue ?? [:])
    }

    private static func open(_ path: String) throws -> SafeTensorsFile {
        do { return try SafeTensorsFile(path: path) } catch {
            throw CheckpointError.corrupt(path: path, reason: error.message)
        }
    }

    private static func read(_ file: SafeTensorsFile, _ name: String) throws -> [Float] {
        do { return try file.floats(name) } catch {
            throw CheckpointError.corrupt(path: file.source, reason: error.message)
        }
    }
}
