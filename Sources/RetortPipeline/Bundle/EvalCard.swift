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
                + "with the \(judge.plugin).\(judge.template) template, twice with the positions swapped; a win counts 1, a tie or split verdict 1/2."
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
        if evaluations.isEmpty {
            out.append("The run recorded no evaluation: no metric is known for this student.")
        } else {
            var metrics: [String] = []
            var checkpoints: [(name: String, stage: String, step: Int)] = []
            var values: [String: [String: Double]] = [:]
            for row in evaluations {
                if !metrics.contains(row.metric) { metrics.append(row.metric) }
                if !checkpoints.contains(where: { $0.name == row.checkpoint }) { checkpoints.append((row.checkpoint, row.stage, row.step)) }
                values[row.checkpoint, default: [:]][row.metric] = row.value
            }
            metrics.sort()
            var table = MarkdownTable(["checkpoint", "stage", "step"] + metrics)
            for c in checkpoints {
                table.add([c.name, c.stage, "\(c.step)"] + metrics.map { metric in
                    values[c.name]?[metric].map { $0.isNaN ? "n/a" : String(format: "%.4g", $0) } ?? "–"
                })
            }
            out.append(table.text)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
