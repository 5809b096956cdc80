// The metrics of every evaluated checkpoint as one Markdown table, as the eval card and
// `retort report --table` print it: a row per checkpoint in the order they were evaluated, what
// trained it (the stage's objectives, where it started, its steps) when the recipe is known, and a
// column per metric. Comparing objectives on the same data is reading down a column.
import Foundation

public enum MetricsTable {
    /// The table, or a sentence when nothing was evaluated.
    public static func markdown(evaluations: [EvaluationRow], recipe: Recipe?) -> String {
        guard !evaluations.isEmpty else { return "The run recorded no evaluation: no metric is known for this student." }
        var metrics: [String] = []
        var checkpoints: [(name: String, stage: String, step: Int)] = []
        var values: [String: [String: Double]] = [:]
        for row in evaluations {
            if !metrics.contains(row.metric) { metrics.append(row.metric) }
            if !checkpoints.contains(where: { $0.name == row.checkpoint }) { checkpoints.append((row.checkpoint, row.stage, row.step)) }
            values[row.checkpoint, default: [:]][row.metric] = row.value
        }
        metrics.sort()
        var table = MarkdownTable(["checkpoint", "trained by", "step"] + metrics)
        for c in checkpoints {
            table.add([c.name, training(stage: c.stage, recipe: recipe), "\(c.step)"] + metrics.map { metric in
                values[c.name]?[metric].map { $0.isNaN ? "n/a" : String(format: "%.4g", $0) } ?? "–"
            })
        }
        return table.text
    }

    /// The table of the run in `runDirectory`, with the recipe the run stored (when it parses).
    public static func markdown(runDirectory: String) throws -> String {
        let store = try RunStore(runDirectory: runDirectory, create: false)
        let recipe = try store.meta(RunStore.MetaKey.recipe).flatMap { try? Recipe.parse($0, file: runDirectory + "/recipe.yaml") }
        return markdown(evaluations: try store.evaluations(), recipe: recipe)
    }

    /// "jsd(beta=0.5) + on-policy λ=0.3, from warm" for a stage of the recipe; the stage's name otherwise.
    static func training(stage: String, recipe: Recipe?) -> String {
        if stage.isEmpty { return "un-distilled" }
        guard let recipe, let index = recipe.distill.firstIndex(where: { $0.name == stage }) else { return stage }
        let spec = recipe.distill[index]
        var text = spec.objectives.map { part in
            let parameters = part.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%g", $0.value))" }
            let name = parameters.isEmpty ? part.name : "\(part.name)(\(parameters.joined(separator: ", ")))"
            return part.weight == 1 ? name : "\(String(format: "%g", part.weight))×\(name)"
        }.joined(separator: " + ")
        if let onPolicy = spec.onPolicy { text += " + on-policy λ=\(String(format: "%g", onPolicy.ratio))" }
        switch spec.start {
        case .initial where index > 0: text += ", from the un-distilled student"
        case .stage(let from): text += ", from \(from)"
        case .previous where index > 0: text += ", from \(recipe.distill[index - 1].name)"
        default: break
        }
        return text
    }
}
