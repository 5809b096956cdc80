// The names under which the evaluation stage stores its metrics in the run store, and what the
// report needs to know about each: a title, which direction is better, and its natural range.
// The trainer writes `EvaluationMetric.heldoutKL.name`; the report reads any name back with
// `EvaluationMetric(name:)`, so a metric it does not know is still shown, just without a direction.

public enum EvaluationMetric: Hashable, Sendable {
    /// Per-token forward KL(teacher ‖ student) on held-out teacher answers, in nats.
    case heldoutKL
    /// The student's perplexity on held-out teacher answers.
    case perplexity
    /// ROUGE-L F-measure of the student's answers against the teacher's references.
    case rougeL
    /// Teacher-judged share of prompts where the checkpoint beats the un-distilled student (0…1).
    case winRateVsBaseline
    /// Teacher-judged share of prompts where the checkpoint beats the teacher's own answer (0…1).
    case winRateVsTeacher
    /// The teacher's mean rubric score of the checkpoint's held-out answers (1…10).
    case teacherScore
    /// A plugin evaluator's score, stored as "plugin:<plugin-id>.<evaluator>".
    case plugin(pluginID: String, evaluator: String)
    /// A name this version of Retort does not know.
    case other(String)

    public enum Direction: Sendable {
        case lowerIsBetter, higherIsBetter, unknown
    }

    public static let pluginPrefix = "plugin:"

    /// The stored name.
    public var name: String {
        switch self {
        case .heldoutKL: "heldout_kl"
        case .perplexity: "perplexity"
        case .rougeL: "rouge_l"
        case .winRateVsBaseline: "win_rate_vs_baseline"
        case .winRateVsTeacher: "win_rate_vs_teacher"
        case .teacherScore: "teacher_score"
        case .plugin(let pluginID, let evaluator): "\(Self.pluginPrefix)\(pluginID).\(evaluator)"
        case .other(let name): name
        }
    }

    public init(name: String) {
        switch name {
        case "heldout_kl": self = .heldoutKL
        case "perplexity": self = .perplexity
        case "rouge_l": self = .rougeL
        case "win_rate_vs_baseline": self = .winRateVsBaseline
        case "win_rate_vs_teacher": self = .winRateVsTeacher
        case "teacher_score": self = .teacherScore
        default:
            // Plugin ids are lowercase letters, digits and dashes, never a dot; the evaluator name may hold one.
            if name.hasPrefix(Self.pluginPrefix), case let rest = name.dropFirst(Self.pluginPrefix.count),
               let dot = rest.firstIndex(of: "."), dot != rest.startIndex, rest.index(after: dot) != rest.endIndex {
                self = .plugin(pluginID: String(rest[..<dot]), evaluator: String(rest[rest.index(after: dot)...]))
            } else {
                self = .other(name)
            }
        }
    }

    /// What a reader calls it.
    public var title: String {
        switch self {
        case .heldoutKL: "KL to teacher (held-out, nats/token)"
        case .perplexity: "Perplexity on teacher answers"
        case .rougeL: "ROUGE-L vs teacher"
        case .winRateVsBaseline: "Win rate vs baseline"
        case .winRateVsTeacher: "Win rate vs teacher"
        case .teacherScore: "Teacher's rubric score (1–10)"
        case .plugin(let pluginID, let evaluator): "\(pluginID): \(evaluator)"
        case .other(let name): name
        }
    }

    /// A table column's heading.
    public var shortTitle: String {
        switch self {
        case .heldoutKL: "KL to teacher"
        case .perplexity: "Perplexity"
        case .rougeL: "ROUGE-L"
        case .winRateVsBaseline: "Win vs baseline"
        case .winRateVsTeacher: "Win vs teacher"
        case .teacherScore: "Teacher's score"
        case .plugin(let pluginID, let evaluator): "\(pluginID): \(evaluator)"
        case .other(let name): name
        }
    }

    public var direction: Direction {
        switch self {
        case .heldoutKL, .perplexity: .lowerIsBetter
        case .rougeL, .winRateVsBaseline, .winRateVsTeacher, .teacherScore: .higherIsBetter
        case .plugin, .other: .unknown
        }
    }

    /// The range every value lies in, when the metric has one (charts then show all of it).
    public var range: ClosedRange<Double>? {
        switch self {
        case .rougeL, .winRateVsBaseline, .winRateVsTeacher: 0...1
        case .teacherScore: 1...10
        case .heldoutKL, .perplexity, .plugin, .other: nil
        }
    }

    /// Built-in metrics first, in this order, then plugin and unknown metrics by name.
    var sortKey: (Int, String) {
        switch self {
        case .heldoutKL: (0, "")
        case .perplexity: (1, "")
        case .rougeL: (2, "")
        case .winRateVsBaseline: (3, "")
        case .winRateVsTeacher: (4, "")
        case .teacherScore: (5, "")
        case .plugin: (6, name)
        case .other: (7, name)
        }
    }
}

/// Which model an evaluation row describes: the un-distilled student ("baseline") or the student
/// after `step` optimizer steps of a distill stage ("<stage>@<step>").
public enum EvaluationCheckpoint: Hashable, Sendable {
    case baseline
    case trained(stage: String, step: Int)

    public static let baselineName = "baseline"

    public var name: String {
        switch self {
        case .baseline: Self.baselineName
        case .trained(let stage, let step): "\(stage)@\(step)"
        }
    }

    /// nil for a name that is neither "baseline" nor "<stage>@<step>".
    public init?(name: String) {
        if name == Self.baselineName {
            self = .baseline
            return
        }
        guard let at = name.lastIndex(of: "@"), at != name.startIndex,
              let step = Int(name[name.index(after: at)...]), step >= 0 else { return nil }
        self = .trained(stage: String(name[..<at]), step: step)
    }
}
