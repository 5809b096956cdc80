// The teacher's rubric score of each checkpoint's held-out answers (LLM-as-a-judge single-answer
// grading, Zheng et al., 2023): every answer is graded alone with the plugin's rubric template and
// the score parser reads a 1–10 score; the checkpoint's `teacher_score` is the mean of the scores
// the parser could read. Calls go through the run's call cache and stored scores are not graded
// again, so a resumed run pays for no grading twice.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortTeachers

struct RubricScoring {
    let spec: JudgeSpec.Score
    let maxTokens: Int
    let binding: PluginBinding
    let teacher: any Teacher
    let store: RunStore
    let seed: UInt64
    let log: (String) -> Void

    static let metric = EvaluationMetric.teacherScore.name

    /// Grades every checkpoint that has held-out answers and no score yet.
    func run() async throws {
        let evaluations = try store.evaluations()
        let byCheckpoint = Dictionary(grouping: try store.evalSamples(), by: \.checkpoint)
        var checkpoints: [(name: String, stage: String, step: Int)] = []
        for row in evaluations where !checkpoints.contains(where: { $0.name == row.checkpoint }) {
            checkpoints.append((row.checkpoint, row.stage, row.step))
        }
        for checkpoint in checkpoints {
            guard let answers = byCheckpoint[checkpoint.name], !answers.isEmpty,
                  !evaluations.contains(where: { $0.checkpoint == checkpoint.name && $0.metric == Self.metric }) else { continue }
            let scores = try await grade(answers.map { ($0.prompt, $0.output) })
            let readable = scores.compactMap { $0 }
            guard !readable.isEmpty else {
                log("   \(checkpoint.name): the teacher's \(scores.count) grades were all unreadable; no score stored (rerun to retry with a larger max_tokens)")
                continue
            }
            let mean = readable.reduce(0, +) / Double(readable.count)
            try store.recordEvaluation([EvaluationRow(checkpoint: checkpoint.name, metric: Self.metric, value: mean,
                                                      stage: checkpoint.stage, step: checkpoint.step)])
            log("   \(checkpoint.name): teacher's score \(String(format: "%.2f", mean)) of 10 over \(readable.count) answers"
                + (readable.count == scores.count ? "" : " (\(scores.count - readable.count) grades unreadable, left out)"))
        }
    }

    /// Each answer's score, nil when unreadable or outside 1…10; graded concurrently (the local teacher batches them).
    private func grade(_ answers: [(instruction: String, response: String)]) async throws -> [Double?] {
        let spec = spec, binding = binding, teacher = teacher, maxTokens = maxTokens, base = seed &+ 0x5C0E
        return try await withThrowingTaskGroup(of: (Int, Double?).self) { group in
            for (index, answer) in answers.enumerated() {
                group.addTask {
                    (index, try await Self.score(answer.instruction, response: answer.response, spec: spec, binding: binding,
                                                 teacher: teacher, maxTokens: maxTokens, seed: base &+ UInt64(index)))
                }
            }
            var scores = [Double?](repeating: nil, count: answers.count)
            for try await (index, score) in group { scores[index] = score }
            return scores
        }
    }

    static func score(_ instruction: String, response: String, spec: JudgeSpec.Score, binding: PluginBinding, teacher: any Teacher,
                      maxTokens: Int, seed: UInt64) async throws -> Double? {
        let prompt = try binding.render(spec.template, ["instruction": .string(instruction), "response": .string(response)])
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: prompt)], maxTokens: maxTokens,
                                     sampling: TeacherSampling(temperature: 0, seed: seed))
        let output = try await teacher.complete(request).choices.first?.text ?? ""
        guard case .success(let records) = binding.parse(spec.parser, output: output), let value = records.first?["score"] else { return nil }
        let score = value.doubleValue ?? value.stringValue.flatMap(Double.init)
        return score.flatMap { (1...10).contains($0) ? $0 : nil }
    }
}
