// A reward model: a decoder with a scalar head in place of the LM head's use, scoring a whole
// sequence by its last token (see RewardHead). Trained with the Bradley–Terry loss on ranked
// answers (DistillationTrainer(rewardModel:preferences:…)); its scores then drive policy-gradient
// training of a student.
import RetortTensor

public final class RewardModel {
    public let base: LlamaModel
    public let head: RewardHead

    /// A fresh head (seeded) on `base`, typically a copy of the student or a small pretrained model.
    public init(base: LlamaModel, seed: UInt64) throws {
        self.base = base
        head = try RewardHead(width: base.config.hiddenSize, seed: seed)
    }

    /// What an optimizer updates: the base's trainable parameters, then the head's weight.
    public var trainableParameters: [TrainableParameter] {
        base.trainableParameters + [head.weight].compactMap(\.trainable)
    }

    /// The reward of every sequence (token ids, each non-empty), with dropout off, `rowsPerBatch`
    /// sequences per forward pass, each on its own row.
    public func scores(_ sequences: [[Int32]], rowsPerBatch: Int = 8) throws -> [Float] {
        guard rowsPerBatch > 0 else { throw ModelError.invalidConfig(field: "rowsPerBatch", reason: "is \(rowsPerBatch); it must be > 0") }
        if let empty = sequences.firstIndex(where: \.isEmpty) {
            throw ModelError.invalidConfig(field: "sequence \(empty)", reason: "is empty; a reward is read at a sequence's last token")
        }
        if let bad = sequences.joined().first(where: { $0 < 0 || Int($0) >= base.config.vocabSize }) {
            throw ModelError.invalidConfig(field: "token id", reason: "\(bad) is outside the vocabulary 0..<\(base.config.vocabSize)")
        }
        let wasTraining = base.isTraining
        base.isTraining = false
        defer { base.isTraining = wasTraining }
        var result: [Float] = []
        for start in stride(from: 0, to: sequences.count, by: rowsPerBatch) {
            let chunk = sequences[start..<min(start + rowsPerBatch, sequences.count)]
            let B = chunk.count, T = chunk.map(\.count).max()!
            var tokens = [Int32](repeating: 0, count: B * T), segments = [Int32](repeating: -1, count: B * T)
            for (row, sequence) in chunk.enumerated() {
                for (t, token) in sequence.enumerated() { tokens[row * T + t] = token; segments[row * T + t] = 0 }
            }
            let output = try base.forward(tokens: tokens, B: B, T: T, segments: segments, computeLogits: false)
            result += try head.scores(finalNormed: output.finalNormed, rows: chunk.enumerated().map { $0.offset * T + $0.element.count - 1 })
        }
        return result
    }
}
