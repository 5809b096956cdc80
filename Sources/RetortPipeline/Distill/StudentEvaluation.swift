// Held-out evaluation of a student checkpoint against the teacher: per-token forward KL from the
// teacher's (sparse) distributions to the student's on the teacher's held-out answers, the
// student's perplexity on those answers, and ROUGE-L and the recipe's plugin evaluators on the
// student's own greedy answers against the teacher's. Results and sample outputs go to the run store under the checkpoint's name.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortModels
import RetortTensor

public struct StudentEvaluationResult: Sendable {
    public var heldOutKL: Double
    public var perplexity: Double
    public var rougeL: Double?
    /// Mean score of each plugin evaluator over the generated answers, by stored metric name.
    public var pluginScores: [String: Double]
    public var samples: [EvalSampleRow]
}

struct StudentEvaluation {
    let student: LocalLanguageModel
    let teacher: LocalLanguageModel?
    let spec: EvaluateSpec
    let evaluators: PluginEvaluators
    let runDirectory: String

    /// Evaluates the student as it is now and stores the metrics as `checkpoint`.
    func run(heldOut: [ConversationExample], checkpoint: String, stage: String, step: Int, store: RunStore) throws
        -> StudentEvaluationResult {
        let examples = Array(heldOut.prefix(spec.maxExamples))
        guard !examples.isEmpty else {
            throw DistillError("nothing is held out for evaluation: raise evaluate.held_out or elicit more conversations")
        }
        var klSum = 0.0, nllSum = 0.0, positions = 0
        let distributions = try teacherDistributions(examples)
        for (example, teacherRows) in zip(examples, distributions) {
            let (kl, nll) = try score(example, teacherRows: teacherRows)
            klSum += kl
            nllSum += nll
            positions += example.answer.count
        }
        var result = StudentEvaluationResult(
            heldOutKL: teacher == nil ? .nan : klSum / Double(max(positions, 1)),
            perplexity: exp(nllSum / Double(max(positions, 1))), rougeL: nil, pluginScores: [:], samples: [])
        if spec.generate > 0 {
            var rouge = 0.0
            for (position, example) in examples.prefix(spec.generate).enumerated() {
                let answer = try student.generate(promptTokens: example.prompt, options: GenerationOptions(maxTokens: spec.maxTokens))[0]
                rouge += RougeL.score(target: example.reference, prediction: answer.text).fmeasure
                let prompt = example.promptMessages.last(where: { $0["role"]?.stringValue == "user" })?["content"]?.stringValue ?? ""
                result.samples.append(EvalSampleRow(checkpoint: checkpoint, position: position, prompt: prompt,
                                                    reference: example.reference, output: answer.text))
            }
            result.rougeL = rouge / Double(result.samples.count)
            result.pluginScores = try evaluators.meanScores(result.samples)
        }
        var metrics = [EvaluationRow(checkpoint: checkpoint, metric: EvaluationMetric.perplexity.name, value: result.perplexity, stage: stage, step: step)]
        if teacher != nil {
            metrics.append(EvaluationRow(checkpoint: checkpoint, metric: EvaluationMetric.heldoutKL.name, value: result.heldOutKL, stage: stage, step: step))
        }
        if let rouge = result.rougeL {
            metrics.append(EvaluationRow(checkpoint: checkpoint, metric: EvaluationMetric.rougeL.name, value: rouge, stage: stage, step: step))
        }
        for (name, value) in result.pluginScores {
            metrics.append(EvaluationRow(checkpoint: checkpoint, metric: name, value: value, stage: stage, step: step))
        }
        try store.recordEvaluation(metrics, samples: result.samples)
        return result
    }

    /// The teacher's top-k rows on each held-out answer (cached like the training targets).
    private func teacherDistributions(_ examples: [ConversationExample]) throws -> [SparseDistributions?] {
        guard let teacher else { return examples.map { _ in nil } }
        let cache = (runDirectory as NSString).appendingPathComponent("distill/heldout-top\(Self.topK).rtdist")
        try FileManager.default.createDirectory(atPath: (cache as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var cached: [String: SparseDistributions] = [:]
        if FileManager.default.fileExists(atPath: cache) {
            for entry in try DistributionsFile.read(path: cache) { cached[entry.key] = entry.distributions }
        }
        var rows: [SparseDistributions] = []
        var fresh = false
        for example in examples {
            let key = TeacherTargets.cacheKey(example)
            if let hit = cached[key], hit.tokens == example.answer {
                rows.append(hit)
            } else {
                rows.append(try teacher.score(promptTokens: example.prompt, completionTokens: example.answer, topK: Self.topK).distributions)
                fresh = true
            }
        }
        if fresh {
            try DistributionsFile.write(zip(examples, rows).map { .init(key: TeacherTargets.cacheKey($0), distributions: $1) }, to: cache)
        }
        return rows
    }

    /// Teacher top-k kept for the KL estimate; the rest of each distribution is one bucket.
    static let topK = 64

    /// Σ over answer tokens of KL(p_T ‖ p_S) (top-k plus a rest bucket) and of −log p_S(token).
    private func score(_ example: ConversationExample, teacherRows: SparseDistributions?) throws -> (kl: Double, nll: Double) {
        let model = student.model, V = model.config.vocabSize, P = example.prompt.count
        let cache = model.makeCache(capacity: example.tokenCount)
        let logits = try model.decode(example.prompt + example.answer, cache: cache, allLogits: true).toArray()
        var kl = 0.0, nll = 0.0
        for j in 0..<example.answer.count {
            let row = (P - 1 + j) * V
            var maxLogit = -Float.infinity
            for v in 0..<V { maxLogit = max(maxLogit, logits[row + v]) }
            var sum = 0.0
            for v in 0..<V { sum += Double(exp(logits[row + v] - maxLogit)) }
            let logZ = Double(maxLogit) + log(sum)
            func studentLogprob(_ id: Int32) -> Double { Double(logits[row + Int(id)]) - logZ }
            nll -= studentLogprob(example.answer[j])
            guard let t = teacherRows else { continue }
            var studentTopMass = 0.0
            for i in 0..<t.topK {
                let id = t.ids[j * t.topK + i], lt = Double(t.logprobs[j * t.topK + i])
                let ls = studentLogprob(id)
                studentTopMass += exp(ls)
                kl += exp(lt) * (lt - ls)
            }
            let teacherRest = Double(t.restMass[j]), studentRest = max(1 - studentTopMass, 1e-12)
            if teacherRest > 1e-12 { kl += teacherRest * (log(teacherRest) - log(studentRest)) }
        }
        return (kl, nll)
    }
}
