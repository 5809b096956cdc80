// The metrics table of `retort report --table` and the eval card: rows in evaluation order, what
// trained each checkpoint read from the recipe (objectives, on-policy share, starting point), n/a
// for NaN and a dash for a metric a checkpoint lacks.
import Foundation
import RetortPipeline
import Testing

@Suite struct MetricsTableTests {
    @Test func rowsSayWhatTrainedEachCheckpoint() throws {
        let recipe = try Recipe.parse("""
            teacher: {model: m}
            plugins: [p]
            knowledge:
              - {name: label, strategy: labeling, input: {seeds: s}}
            student: {layers: 4}
            distill:
              - {name: warm, objectives: [sft], steps: 2}
              - {name: jsd, from: warm, objectives: [{name: jsd, beta: 0.5}], steps: 2, on_policy: {ratio: 0.5}}
              - {name: cold, from: initial, objectives: [{name: sft, weight: 0.5}, {name: reverse-kl, weight: 0.5}], steps: 4}
              - {name: next, objectives: [forward-kl], steps: 1}
            """, file: "table.yaml")
        let rows = [
            EvaluationRow(checkpoint: "baseline", metric: "kl_to_teacher", value: 7.5, stage: "", step: 0),
            EvaluationRow(checkpoint: "baseline", metric: "perplexity", value: 14496.25, stage: "", step: 0),
            EvaluationRow(checkpoint: "warm@2", metric: "kl_to_teacher", value: 2.25, stage: "warm", step: 2),
            EvaluationRow(checkpoint: "jsd@2", metric: "kl_to_teacher", value: .nan, stage: "jsd", step: 2),
            EvaluationRow(checkpoint: "cold@4", metric: "kl_to_teacher", value: 9, stage: "cold", step: 4),
            EvaluationRow(checkpoint: "next@1", metric: "kl_to_teacher", value: 8, stage: "next", step: 1),
        ]
        let lines = MetricsTable.markdown(evaluations: rows, recipe: recipe).components(separatedBy: "\n")
        #expect(lines == [
            "| checkpoint | trained by | step | kl_to_teacher | perplexity |",
            "|---|---|---|---|---|",
            "| baseline | un-distilled | 0 | 7.5 | 1.45e+04 |",
            "| warm@2 | sft | 2 | 2.25 | – |",
            "| jsd@2 | jsd(beta=0.5) + on-policy λ=0.5, from warm | 2 | n/a | – |",
            "| cold@4 | 0.5×sft + 0.5×reverse-kl, from the un-distilled student | 4 | 9 | – |",
            "| next@1 | forward-kl, from cold | 1 | 8 | – |",
        ])
        #expect(MetricsTable.markdown(evaluations: [], recipe: recipe).contains("no evaluation"))
        // Without the recipe a row names its stage.
        #expect(MetricsTable.markdown(evaluations: Array(rows[2...2]), recipe: nil).contains("| warm@2 | warm | 2 | 2.25 |"))
    }
}
