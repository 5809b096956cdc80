// The plugin evaluators a recipe's `evaluate.evaluators` names ("plugin.evaluator"), checked when
// the run starts and called on each generated held-out answer through the C ABI. A score is stored
// as "plugin:<plugin>.<evaluator>" (with ".<key>" when the evaluator returns several).
import RetortHost

struct PluginEvaluators {
    struct Evaluator {
        let plugin: LoadedPlugin
        let name: String
    }

    let evaluators: [Evaluator]

    /// Throws naming the evaluator (and the recipe `field` that named it) when its plugin is not
    /// loaded or does not offer it.
    init(names: [String], registry: PluginRegistry, field: String = "evaluate.evaluators") throws {
        var found: [Evaluator] = []
        for qualified in names {
            guard let dot = qualified.firstIndex(of: "."), dot != qualified.startIndex, dot != qualified.index(before: qualified.endIndex) else {
                throw DistillError("\(field): \"\(qualified)\" should be <plugin>.<evaluator>, e.g. instruct.rouge-l")
            }
            let id = String(qualified[..<dot]), name = String(qualified[qualified.index(after: dot)...])
            guard let plugin = try? registry.plugin(id: id), plugin.evaluators.contains(where: { $0.name == name }) else {
                throw DistillError("\(field): \"\(qualified)\" is not an evaluator of a loaded plugin; available: \(registry.allEvaluators.joined(separator: ", "))")
            }
            found.append(Evaluator(plugin: plugin, name: name))
        }
        evaluators = found
    }

    /// The evaluator named "<plugin>.<evaluator>", if it was resolved.
    func evaluator(named qualified: String) -> Evaluator? {
        evaluators.first { "\($0.plugin.id).\($0.name)" == qualified }
    }

    /// Each evaluator's mean over `samples` (prompt, teacher reference, student output).
    func meanScores(_ samples: [EvalSampleRow]) throws -> [String: Double] {
        guard !samples.isEmpty else { return [:] }
        var sums: [String: Double] = [:]
        for evaluator in evaluators {
            for sample in samples {
                let scores = try evaluator.plugin.evaluate(evaluator.name, prompt: sample.prompt, reference: sample.reference,
                                                           prediction: sample.output)
                for (key, value) in scores {
                    let base = EvaluationMetric.plugin(pluginID: evaluator.plugin.id, evaluator: evaluator.name).name
                    sums[scores.count == 1 ? base : "\(base).\(key)", default: 0] += value
                }
            }
        }
        return sums.mapValues { $0 / Double(samples.count) }
    }
}
