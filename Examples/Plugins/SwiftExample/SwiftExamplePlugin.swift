// swift-example: a Retort plugin written in Swift with the SDK. It distills short dictionary
// definitions: a template asking the teacher for a JSON definition, a parser, a filter against
// circular definitions, a word-overlap evaluator, seed terms, and a label-smoothed cross-entropy
// objective (Szegedy et al., 2016) to show plugin objectives.
import Foundation
import RetortPluginSDK

let plugin = Plugin(
    id: "swift-example",
    kind: .skill,
    name: "Short definitions (Swift example)",
    version: "1.0.0",
    description: "Elicits one-sentence definitions of terms; written in Swift with the Retort SDK.",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": ["strategies": ["labeling"], "recommended_objectives": [["name": "label-smoothed-ce", "weight": 1]]],
    ],
    templates: [
        Template(
            name: "define", role: .user, strategy: "labeling", slots: ["term"],
            text: """
                Define "{{term}}" in one sentence for a curious twelve-year-old. \
                Reply with JSON only: {"term": "{{term}}", "definition": "..."}
                """,
            description: "Asks for a one-sentence definition as JSON."),
    ],
    parsers: [
        Parser(
            name: "definition-json", description: "Reads the first JSON object with term and definition.",
            yields: ["term", "definition"], method: "JSON extraction",
            parse: { output, _ in [try parseDefinition(output)] }),
    ],
    filters: [
        Filter(
            name: "not-circular", description: "Rejects definitions that use the term itself or are too short.",
            method: "lexical check",
            apply: { record, _ in judgeDefinition(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "word-overlap", description: "F1 of the word sets of prediction and reference.",
            metrics: ["f1"],
            evaluate: { _, reference, prediction in ["f1": wordOverlapF1(reference, prediction)] }),
    ],
    objectives: [
        .token(
            name: "label-smoothed-ce",
            description: "Cross-entropy against targets smoothed with epsilon spread over the vocabulary.",
            parameters: ["epsilon": 0.1],
            loss: labelSmoothedCrossEntropy),
    ],
    seeds: [
        SeedSet(
            name: "terms", kind: "tasks",
            source: .items(["photosynthesis", "gravity", "democracy", "algorithm", "erosion"].map { ["term": .string($0)] }),
            description: "Terms to define."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }

/// Finds the first `{…}` in the output (teachers often wrap JSON in prose) and reads it.
func parseDefinition(_ output: String) throws -> JSONValue {
    guard let start = output.firstIndex(of: "{"), let end = output.lastIndex(of: "}"), start < end else {
        throw PluginFailure.parse("no JSON object in the teacher output")
    }
    let value: JSONValue
    do { value = try JSONValue(parsing: String(output[start...end])) } catch {
        throw PluginFailure.parse("the JSON object is malformed: \(error.message)")
    }
    guard let term = value["term"]?.stringValue, !term.isEmpty else {
        throw PluginFailure.parse("the JSON object has no non-empty \"term\" string")
    }
    guard let definition = value["definition"]?.stringValue, !definition.isEmpty else {
        throw PluginFailure.parse("the JSON object has no non-empty \"definition\" string")
    }
    return ["term": .string(term), "definition": .string(definition)]
}

func words(_ text: String) -> [String] {
    text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
}

func judgeDefinition(_ record: JSONValue) -> Verdict {
    guard let term = record["term"]?.stringValue, let definition = record["definition"]?.stringValue else {
        return .reject("record lacks term or definition")
    }
    let definitionWords = words(definition)
    if definitionWords.count < 4 { return .reject("definition shorter than 4 words", score: 0) }
    let termWords = Set(words(term))
    if !termWords.isEmpty, termWords.isSubset(of: Set(definitionWords)) {
        return .reject("circular: the definition uses the term itself", score: 0)
    }
    return .keep(score: Double(min(definitionWords.count, 30)) / 30)
}

func wordOverlapF1(_ reference: String, _ prediction: String) -> Double {
    let r = Set(words(reference)), p = Set(words(prediction))
    guard !r.isEmpty, !p.isEmpty else { return r.isEmpty && p.isEmpty ? 1 : 0 }
    let common = Double(r.intersection(p).count)
    if common == 0 { return 0 }
    let precision = common / Double(p.count), recall = common / Double(r.count)
    return 2 * precision * recall / (precision + recall)
}

/// loss_i = -(1-ε)·log p(y_i) - ε/V·Σ_j log p_j; L = Σ m_i loss_i / Σ m_i (retort.h's rule).
/// dloss_i/dz_j = p_j - (1-ε)·[j = y_i] - ε/V (per unit mask weight).
@Sendable func labelSmoothedCrossEntropy(_ batch: TokenBatch, _ grad: UnsafeMutableBufferPointer<Float>) throws -> Float {
    let epsilon = batch.parameters["epsilon"] ?? 0.1
    guard (0...1).contains(epsilon) else {
        throw PluginFailure.invalidArgument("epsilon must be in [0, 1], got \(epsilon)")
    }
    let v = batch.vocab
    let totalWeight = (0..<batch.positions).reduce(0.0) { $0 + Double(batch.lossMask[$1]) }
    var loss = 0.0
    for i in 0..<batch.positions {
        let row = i * v
        let target = Int(batch.targets[i])
        let weight = totalWeight > 0 ? Double(batch.lossMask[i]) / totalWeight : 0
        if weight == 0 {
            for j in 0..<v { grad[row + j] = 0 }
            continue
        }
        guard target >= 0, target < v else {
            throw PluginFailure.invalidArgument("position \(i) has loss weight \(batch.lossMask[i]) but target \(target) (vocab \(v))")
        }
        var maxLogit = -Double.infinity
        for j in 0..<v { maxLogit = max(maxLogit, Double(batch.studentLogits[row + j])) }
        var sumExp = 0.0
        for j in 0..<v { sumExp += exp(Double(batch.studentLogits[row + j]) - maxLogit) }
        let logZ = maxLogit + log(sumExp)
        var meanLogP = 0.0
        for j in 0..<v {
            let logp = Double(batch.studentLogits[row + j]) - logZ
            meanLogP += logp / Double(v)
            var g = exp(logp) - epsilon / Double(v)
            if j == target { g -= 1 - epsilon }
            grad[row + j] = Float(g * weight)
        }
        let targetLogP = Double(batch.studentLogits[row + target]) - logZ
        loss += weight * (-(1 - epsilon) * targetLogP - epsilon * meanLogP)
    }
    return Float(loss)
}
