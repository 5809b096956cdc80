// The white-box teacher's next-token distributions on the answers the student trains on, kept
// sparse (top-k + rest mass) and laid out as the trainer's per-position rows. Scoring is the
// expensive part of a distribution objective, so the rows are cached in the run folder
// (`distill/teacher-top<k>.rtdist`, keyed by record and token ids) and a resumed run reads them.
import Foundation
import RetortDistill
import RetortModels

public enum TeacherTargets {
    /// Scores every example's answer with `teacher` (or reads it from `cachePath`) and returns the
    /// training examples with their sparse teacher rows. `progress` receives (done, total).
    public static func examples(
        for data: [ConversationExample], teacher: LocalLanguageModel, topK: Int, cachePath: String,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> [TrainingExample] {
        var cached: [String: SparseDistributions] = [:]
        if FileManager.default.fileExists(atPath: cachePath) {
            for entry in try DistributionsFile.read(path: cachePath) { cached[entry.key] = entry.distributions }
        }
        var entries: [DistributionsFile.Entry] = []
        var examples: [TrainingExample] = []
        var fresh = 0
        for (index, example) in data.enumerated() {
            let key = cacheKey(example)
            let scores: SparseDistributions
            if let hit = cached[key], hit.topK == topK, hit.tokens == example.answer {
                scores = hit
            } else {
                scores = try teacher.score(promptTokens: example.prompt, completionTokens: example.answer, topK: topK).distributions
                fresh += 1
                // Keep what was scored even if a later example fails or the run is killed.
                if fresh % 16 == 0 { try DistributionsFile.write(entries + [.init(key: key, distributions: scores)], to: cachePath) }
            }
            entries.append(.init(key: key, distributions: scores))
            examples.append(try trainingExample(example, scores: scores, vocab: teacher.model.config.vocabSize))
            progress(index + 1, data.count)
        }
        if fresh > 0 { try DistributionsFile.write(entries, to: cachePath) }
        return examples
    }

    /// The record and its exact answer tokens: a change of tokenizer or sequence length rescoring.
    static func cacheKey(_ example: ConversationExample) -> String {
        "\(example.key)#\(example.prompt.count)"
    }

    /// Places the answer's distributions at the rows that predict the answer tokens (row t predicts
    /// token t + 1); the other rows get a uniform placeholder that their zero loss weight ignores.
    static func trainingExample(_ example: ConversationExample, scores: SparseDistributions, vocab: Int) throws -> TrainingExample {
        let k = scores.topK, P = example.prompt.count, total = example.tokenCount
        guard scores.positions == example.answer.count else {
            throw DistillError("the teacher scored \(scores.positions) answer tokens of record \(example.key), which has \(example.answer.count)")
        }
        var ids = [Int32](repeating: 0, count: total * k)
        var logprobs = [Float](repeating: -Float(log(Double(vocab))), count: total * k)
        for row in 0..<total { for i in 0..<k { ids[row * k + i] = Int32(i) } }
        for j in 0..<scores.positions {
            let row = P - 1 + j
            for i in 0..<k {
                ids[row * k + i] = scores.ids[j * k + i]
                logprobs[row * k + i] = scores.logprobs[j * k + i]
            }
        }
        return TrainingExample(prompt: example.prompt, answer: example.answer, teacher: .sparse(ids: ids, logprobs: logprobs, k: k))
    }
}

/// A distill-stage failure, said in one line: what, where, and what to do.
public struct DistillError: Error, LocalizedError, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}
