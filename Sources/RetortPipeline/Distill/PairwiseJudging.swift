// Teacher-judged win rates (LLM-as-a-judge pairwise comparison, Zheng et al., 2023): for every
// evaluated checkpoint, the teacher compares the student's held-out answers with the un-distilled
// student's (win_rate_vs_baseline) and with its own reference answers (win_rate_vs_teacher). Each
// pair is judged twice with the positions swapped: a win when both orders prefer the checkpoint, a
// loss when both prefer the other, a tie otherwise (a split or tied verdict, or one the parser
// cannot read). Win rate = (wins + ties / 2) / pairs. Calls go through the run's call cache, so a
// resumed run pays for no judgement twice; stored win rates are not judged again.
// With a white-box teacher (LogprobVerdict) each order gives a probability instead of a verdict:
// the pair's preference for the checkpoint is the mean of P(checkpoint's letter) / P(A or B) over
// both orders, which cancels the judge's bias for a position, and the win rate is the mean
// preference over the pairs (0.5: no preference).
import Foundation
import RetortJSON
import RetortKnowledge
import RetortTeachers

struct PairwiseJudging {
    let spec: JudgeSpec
    let binding: PluginBinding
    let teacher: any Teacher
    let store: RunStore
    let seed: UInt64
    /// Reads verdicts from the teacher's probabilities instead of its text.
    let whiteBox: LogprobVerdict?
    let log: (String) -> Void

    enum Outcome: Equatable { case win, loss, tie }

    /// Judges every checkpoint that has held-out answers and lacks a win rate.
    func run() async throws {
        try binding.check(templates: [spec.template], parsers: [spec.parser], filters: [])
        let evaluations = try store.evaluations()
        let samples = try store.evalSamples()
        let byCheckpoint = Dictionary(grouping: samples, by: \.checkpoint)
        let baseline = Dictionary((byCheckpoint["baseline"] ?? []).map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
        var checkpoints: [(name: String, stage: String, step: Int)] = []
        for row in evaluations where !checkpoints.contains(where: { $0.name == row.checkpoint }) {
            checkpoints.append((row.checkpoint, row.stage, row.step))
        }
        for checkpoint in checkpoints {
            guard let answers = byCheckpoint[checkpoint.name], !answers.isEmpty else { continue }
            for opponent in spec.against {
                if opponent == .baseline, checkpoint.name == "baseline" { continue }
                let metric = Self.metric(opponent)
                if evaluations.contains(where: { $0.checkpoint == checkpoint.name && $0.metric == metric }) { continue }
                let pairs: [(instruction: String, answer: String, other: String)] = answers.compactMap { sample in
                    switch opponent {
                    case .teacher: return (sample.prompt, sample.output, sample.reference)
                    case .baseline: return baseline[sample.position].map { (sample.prompt, sample.output, $0.output) }
                    }
                }
                guard !pairs.isEmpty else { continue }
                if let whiteBox {
                    let preferences = try pairs.map { try Self.preference($0, whiteBox: whiteBox, spec: spec, binding: binding) }
                    let read = preferences.compactMap { $0 }
                    let rate = read.isEmpty ? Double.nan : read.reduce(0, +) / Double(read.count)
                    try store.recordEvaluation([EvaluationRow(checkpoint: checkpoint.name, metric: metric, value: rate,
                                                              stage: checkpoint.stage, step: checkpoint.step)])
                    log("   \(checkpoint.name) vs \(opponent.rawValue): win rate \(String(format: "%.3f", rate)) (mean preference over "
                        + "\(read.count) pairs from the teacher's P(A) and P(B), both orders"
                        + (read.count == pairs.count ? ")" : "; \(pairs.count - read.count) too long for its context, left out)"))
                    continue
                }
                let (outcomes, unreadable) = try await judge(pairs, salt: opponent == .baseline ? 0 : 1)
                let rate = Self.winRate(outcomes)
                try store.recordEvaluation([EvaluationRow(checkpoint: checkpoint.name, metric: metric, value: rate,
                                                          stage: checkpoint.stage, step: checkpoint.step)])
                let wins = outcomes.filter { $0 == .win }.count, losses = outcomes.filter { $0 == .loss }.count
                log("   \(checkpoint.name) vs \(opponent.rawValue): win rate \(String(format: "%.3f", rate)) "
                    + "(\(wins) won, \(outcomes.count - wins - losses) tied, \(losses) lost; judged by the teacher"
                    + (unreadable == 0 ? ")" : "; \(unreadable) of its \(2 * outcomes.count) verdicts unreadable, counted as ties)"))
            }
        }
    }

    static func metric(_ opponent: JudgeSpec.Opponent) -> String {
        opponent == .baseline ? EvaluationMetric.winRateVsBaseline.name : EvaluationMetric.winRateVsTeacher.name
    }

    static func winRate(_ outcomes: [Outcome]) -> Double {
        guard !outcomes.isEmpty else { return .nan }
        let points = outcomes.reduce(0.0) { $0 + ($1 == .win ? 1 : $1 == .tie ? 0.5 : 0) }
        return points / Double(outcomes.count)
    }

    /// Both orders of every pair, judged concurrently (the local teacher batches them).
    /// The outcomes, and how many verdicts the parser could not read.
    private func judge(_ pairs: [(instruction: String, answer: String, other: String)], salt: UInt64) async throws
        -> (outcomes: [Outcome], unreadable: Int)
    {
        let spec = spec, binding = binding, teacher = teacher, base = seed &+ salt &* 1_000_003
        return try await withThrowingTaskGroup(of: (Int, Outcome, Int).self) { group in
            for (index, pair) in pairs.enumerated() {
                let seed = base &+ UInt64(index) &* 2
                group.addTask {
                    async let first = Self.verdict(pair.instruction, a: pair.answer, b: pair.other, spec: spec, binding: binding,
                                                   teacher: teacher, seed: seed)
                    async let second = Self.verdict(pair.instruction, a: pair.other, b: pair.answer, spec: spec, binding: binding,
                                                    teacher: teacher, seed: seed &+ 1)
                    let verdicts = (try await first, try await second)
                    return (index, Self.outcome(answerFirst: verdicts.0, answerSecond: verdicts.1),
                            (verdicts.0 == nil ? 1 : 0) + (verdicts.1 == nil ? 1 : 0))
                }
            }
            var outcomes = [Outcome](repeating: .tie, count: pairs.count), unreadable = 0
            for try await (index, outcome, missing) in group {
                outcomes[index] = outcome
                unreadable += missing
            }
            return (outcomes, unreadable)
        }
    }

    /// The two verdicts ("A", "B", "tie" or nil when unreadable) in the checkpoint's terms: with the
    /// checkpoint's answer as A first, then as B.
    static func outcome(answerFirst: String?, answerSecond: String?) -> Outcome {
        switch (answerFirst, answerSecond) {
        case ("A", "B"): .win
        case ("B", "A"): .loss
        default: .tie
        }
    }

    /// The teacher's preference for `answer` over `other`, from its probabilities with `answer` as
    /// A and then as B; nil when a prompt does not fit its context.
    static func preference(_ pair: (instruction: String, answer: String, other: String), whiteBox: LogprobVerdict,
                           spec: JudgeSpec, binding: PluginBinding) throws -> Double? {
        func prompt(a: String, b: String) throws -> String {
            try binding.render(spec.template, ["instruction": .string(pair.instruction), "response_a": .string(a), "response_b": .string(b)])
        }
        guard let first = try whiteBox.preferenceForA(prompt: try prompt(a: pair.answer, b: pair.other)),
              let second = try whiteBox.preferenceForA(prompt: try prompt(a: pair.other, b: pair.answer)) else { return nil }
        return (first + (1 - second)) / 2
    }

    /// The teacher's verdict on (A, B): "A", "B" or "tie"; nil when the parser cannot read it.
    static func verdict(_ instruction: String, a: String, b: String, spec: JudgeSpec, binding: PluginBinding, teacher: any Teacher,
                        seed: UInt64) async throws -> String? {
        let prompt = try binding.render(spec.template, [
            "instruction": .string(instruction), "response_a": .string(a), "response_b": .string(b),
        ])
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: prompt)], maxTokens: spec.maxTokens,
                                     sampling: TeacherSampling(temperature: 0, seed: seed))
        let output = try await teacher.complete(request).choices.first?.text ?? ""
        guard case .success(let records) = binding.parse(spec.parser, output: output) else { return nil }
        return records.first?["winner"]?.stringValue
    }
}
