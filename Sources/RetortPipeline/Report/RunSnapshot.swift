// Everything the report shows about one run, read from its store in one go, with the orderings
// the charts need: distill stages in training order, checkpoints baseline first, each checkpoint's
// place along the whole run's step axis. Also says what the run does not have yet, so the report
// can tell the reader instead of drawing empty charts.
import Foundation

struct RunSnapshot: Sendable {
    var directory: String
    var recipe: RecipeSummary
    var recipeText: String?
    var retortVersion: String?
    var stats: RunStats
    var stageYields: [RunStore.StageYield]
    var steps: [TrainingStepRow]
    var evaluations: [EvaluationRow]
    var samples: [EvalSampleRow]
    var artifacts: [ArtifactRow]

    /// Distill stages in the order they trained.
    private(set) var distillStages: [String] = []
    /// Checkpoint names, baseline first, then by stage order and step.
    private(set) var checkpoints: [String] = []
    /// Metrics present, built-in ones first.
    private(set) var metrics: [EvaluationMetric] = []
    /// Where each stage starts on the run's step axis (the steps of all earlier stages).
    private(set) var stageOffsets: [String: Int] = [:]
    private var values: [String: [String: Double]] = [:]
    private var checkpointStages: [String: (stage: String, step: Int)] = [:]

    /// Reads the run in `runDirectory`; a folder without a run store is an error.
    static func load(runDirectory: String) throws -> RunSnapshot {
        let store = try RunStore(runDirectory: runDirectory, create: false)
        let recipeText = try store.meta(RunStore.MetaKey.recipe)
        return RunSnapshot(
            directory: runDirectory, recipe: recipeText.map(RecipeSummary.init(yaml:)) ?? RecipeSummary(), recipeText: recipeText,
            retortVersion: try store.meta(RunStore.MetaKey.retortVersion), stats: try store.stats(topReasons: 30),
            stageYields: try store.stageYields(), steps: try store.trainingSteps(), evaluations: try store.evaluations(),
            samples: try store.evalSamples(), artifacts: try store.artifacts())
    }

    init(directory: String, recipe: RecipeSummary, recipeText: String?, retortVersion: String?, stats: RunStats,
         stageYields: [RunStore.StageYield], steps: [TrainingStepRow], evaluations: [EvaluationRow], samples: [EvalSampleRow],
         artifacts: [ArtifactRow]) {
        self.directory = directory
        self.recipe = recipe
        self.recipeText = recipeText
        self.retortVersion = retortVersion
        self.stats = stats
        self.stageYields = stageYields
        self.steps = steps
        self.evaluations = evaluations
        self.samples = samples
        self.artifacts = artifacts
        deriveOrderings()
    }

    private mutating func deriveOrderings() {
        // Stage order: the recipe's distill list, then the order stages started, then by name.
        let named = Set(steps.map(\.stage)).union(evaluations.filter { $0.checkpoint != EvaluationCheckpoint.baselineName }.map(\.stage))
        var order = recipe.distillStages.filter(named.contains)
        for stage in stats.stages.map(\.name) where named.contains(stage) && !order.contains(stage) { order.append(stage) }
        order += named.subtracting(order).sorted()
        distillStages = order

        var lastStep: [String: Int] = [:]
        for s in steps { lastStep[s.stage] = max(lastStep[s.stage] ?? 0, s.step) }
        for e in evaluations where e.checkpoint != EvaluationCheckpoint.baselineName {
            lastStep[e.stage] = max(lastStep[e.stage] ?? 0, e.step)
        }
        var offset = 0
        for stage in order {
            stageOffsets[stage] = offset
            offset += lastStep[stage] ?? 0
        }

        for e in evaluations {
            values[e.checkpoint, default: [:]][e.metric] = e.value
            checkpointStages[e.checkpoint] = (e.stage, e.step)
        }
        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        checkpoints = values.keys.sorted { a, b in
            func key(_ name: String) -> (Int, Int, Int, String) {
                if name == EvaluationCheckpoint.baselineName { return (0, 0, 0, "") }
                let place = checkpointStages[name] ?? ("", 0)
                return (1, rank[place.stage] ?? Int.max, place.step, name)
            }
            return key(a) < key(b)
        }
        metrics = Set(evaluations.map(\.metric)).map(EvaluationMetric.init(name:)).sorted { $0.sortKey < $1.sortKey }
    }

    // MARK: - Identity

    /// The recipe's name, else the run folder's name.
    var name: String {
        if let name = recipe.name, !name.isEmpty { return name }
        return URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
    }

    /// The recipe's teacher, else the teacher that answered most calls.
    var teacher: String {
        recipe.teacher ?? stats.teachers.first.map { RecipeSummary.withoutCredentials($0.teacher) } ?? "unknown"
    }

    // MARK: - Evaluations

    func value(_ metric: EvaluationMetric, at checkpoint: String) -> Double? { values[checkpoint]?[metric.name] }

    var hasBaseline: Bool { values[EvaluationCheckpoint.baselineName] != nil }

    /// The last trained checkpoint that was evaluated.
    var finalCheckpoint: String? { checkpoints.last { $0 != EvaluationCheckpoint.baselineName } }

    /// A checkpoint's place on the run's step axis: 0 for the baseline, else its stage's offset plus its step.
    func progress(of checkpoint: String) -> Double? {
        if checkpoint == EvaluationCheckpoint.baselineName { return 0 }
        guard let place = checkpointStages[checkpoint] else { return nil }
        return Double((stageOffsets[place.stage] ?? 0) + place.step)
    }

    /// The stored samples of `checkpoint`, by position.
    func samples(of checkpoint: String) -> [Int: EvalSampleRow] {
        Dictionary(samples.filter { $0.checkpoint == checkpoint }.map { ($0.position, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The last trained checkpoint that has samples.
    var finalSampledCheckpoint: String? {
        let sampled = Set(samples.map(\.checkpoint))
        let ordered = checkpoints + sampled.subtracting(checkpoints).sorted()
        return ordered.last { $0 != EvaluationCheckpoint.baselineName && sampled.contains($0) }
    }

    // MARK: - Training

    func steps(of stage: String) -> [TrainingStepRow] { steps.filter { $0.stage == stage } }

    // MARK: - What is missing

    /// One sentence per part of a report this run cannot fill yet.
    var missing: [String] {
        var lines: [String] = []
        if recipeText == nil {
            lines.append("The run stores no recipe: its name is the folder's and its teacher is the one that answered most calls.")
        }
        if stats.keptRecords == 0 && stats.rejectedRecords == 0 {
            lines.append("No elicited data: no record was kept or rejected yet (retort elicit writes them).")
        }
        if stats.teacherCalls == 0 {
            lines.append("No teacher calls are recorded, so there is no teacher cost or token count.")
        }
        if steps.isEmpty {
            lines.append("No training steps: the distill stage has not run yet, so there are no loss, learning-rate or gradient curves.")
        }
        if evaluations.isEmpty {
            lines.append("No evaluations: no checkpoint has been evaluated yet, so there is no KL to the teacher and no metric table.")
        } else {
            if !hasBaseline {
                lines.append("No baseline evaluation: the un-distilled student was not evaluated, so gains cannot be measured against it.")
            }
            if !metrics.contains(.heldoutKL) {
                lines.append("No held-out KL to the teacher (metric \"\(EvaluationMetric.heldoutKL.name)\") is stored.")
            }
        }
        if samples.isEmpty {
            lines.append("No sample outputs: no held-out prompt with the teacher's reference and a checkpoint's answer is stored.")
        }
        return lines
    }
}
