// EVAL_CARD.md of a bundle: how the student did — every metric of every evaluated checkpoint
// ("baseline" is the student before distillation), and what it was measured on: the held-out set
// as the recipe's `evaluate` block defines it, and the held-out prompts with the teacher's reference
// answers that the run recorded (how many, a few examples).
import RetortJSON

struct EvalCard {
    var recipe: Recipe
    var evaluations: [EvaluationRow]
    var samples: [EvalSampleRow]
    /// The checkpoint the bundled student was exported from, when the run recorded it.
    var student: String

    static let exampleCount = 3

    static func percent(_ share: Double) -> String {
        let value = share * 100
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }

    var markdown: String {
        var out = ["# Evaluation card: \(recipe.name)", "", "The bundled student is `\(student)`.", "", "## Held-out set", ""]
        let e = recipe.evaluate
        var held = "\(Self.percent(e.heldOut)) of the run's conversation records are held out of training (chosen by record key, "
            + "so the same ones every time). Up to \(e.maxExamples) of them are scored for perplexity and KL divergence to the teacher"
        held += e.generate > 0
            ? "; \(e.generate) held-out prompts are answered greedily (at most \(e.maxTokens) tokens) and compared with the teacher's reference answers."
            : "."
        if !e.evaluators.isEmpty { held += " Plugin evaluators: \(e.evaluators.joined(separator: ", "))." }
        if let judge = e.judge {
            held += " The teacher judges each answer against the answers of \(judge.against.map { $0 == .baseline ? "the un-distilled student" : "the teacher itself" }.joined(separator: " and ")) "
                + "with the \(judge.plugin).\(judge.template) template, twice with the positions swapped; "
                + (judge.readsProbabilities(teacher: recipe.teacher.backend)
                    ? "each order gives the teacher's probability of the checkpoint's letter after \"Verdict:\" (against the other letter), and the win rate is the mean over both orders and all prompts."
                    : "a win counts 1, a tie or split verdict 1/2.")
            if let score = judge.score {
                held += " It also grades each answer alone with the \(judge.plugin).\(score.template) rubric from 1 to 10 (teacher_score, the mean of the grades it could read)."
            }
        }
        out.append(held)
        let prompts = Set(samples.map(\.position)).count
        out += ["", prompts == 0 ? "The run recorded no held-out answers." : "The run recorded answers to \(prompts) held-out prompts."]
        if let last = samples.last?.checkpoint {
            let shown = samples.filter { $0.checkpoint == last }.prefix(Self.exampleCount)
            var table = MarkdownTable(["prompt", "teacher's reference", "answer of \(last)"])
            for sample in shown {
                table.add([sample.prompt, sample.reference, sample.output].map { MarkdownTable.shortened($0, to: 160) })
            }
            out += ["", "Examples:", "", table.text]
        }

        out += ["", "## Metrics per checkpoint", ""]
        out.append(MetricsTable.markdown(evaluations: evaluations, recipe: recipe))
        return out.joined(separator: "\n") + "\n"
    }
}
