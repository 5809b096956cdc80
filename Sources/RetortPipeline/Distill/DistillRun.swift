// `retort run`: a whole recipe — knowledge stages, the student, the distill stages, evaluation of
// the un-distilled student and of every stage, export and bundle — into one run folder. Each part
// resumes from what the run folder holds: committed knowledge units, finished stages, the last
// checkpoint of an unfinished one, evaluations already stored, an export of the last checkpoint.
import Foundation
import RetortDistill
import RetortHost
import RetortKnowledge
import RetortModels
import RetortTeachers
import RetortTensor

public struct RunOptions: Sendable {
    public enum Phase: String, Sendable, CaseIterable { case elicit, train, eval, export }

    public var recipePath: String
    public var runDirectory: String?
    public var modelsDirectory: String?
    public var pluginPath: [String] = []
    public var progress: ProgressDisplay.Mode = .bar
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The phases to run, in order (all by default).
    public var phases: [Phase] = Phase.allCases

    public init(recipePath: String) { self.recipePath = recipePath }
}

public struct RunSummary: Sendable {
    public var runDirectory: String
    public var evaluations: [EvaluationRow]
    public var artifacts: [ArtifactRow]
}

public enum DistillRun {
    public static func run(_ options: RunOptions, log: @escaping (String) -> Void) async throws -> RunSummary {
        let recipe = try Recipe.load(path: options.recipePath)
        let runDirectory = options.runDirectory ?? "runs/\(recipe.name)"
        let store = try RunStore(runDirectory: runDirectory)
        try Elicitation.checkSameRecipe(recipe, store: store, runDirectory: runDirectory)
        // The evaluators and the judge's template and parser are checked before any work starts
        // (elicitation loads its own plugins).
        let judge = recipe.evaluate.judge
        let rewardNames = recipe.distill.compactMap { $0.rollouts }.filter { $0.rewardStage == nil }.map(\.reward)
        let registry = recipe.evaluate.evaluators.isEmpty && judge == nil && rewardNames.isEmpty
            ? PluginRegistry() : try Elicitation.loadPlugins(recipe, extraPath: options.pluginPath, environment: options.environment)
        let evaluators = try PluginEvaluators(names: recipe.evaluate.evaluators, registry: registry)
        let rewards = try PluginEvaluators(names: rewardNames, registry: registry, field: "distill rollouts.reward")
        let judgeBinding = try judge.map { judge in
            let binding = try PluginBinding(registry: registry, id: judge.plugin)
            try binding.check(templates: [judge.template] + (judge.score.map { [$0.template] } ?? []),
                              parsers: [judge.parser] + (judge.score.map { [$0.parser] } ?? []), filters: [])
            return binding
        }
        if options.phases.contains(.elicit), !recipe.knowledge.isEmpty {
            var elicitation = ElicitationOptions(recipePath: options.recipePath)
            elicitation.runDirectory = runDirectory
            elicitation.modelsDirectory = options.modelsDirectory
            elicitation.pluginPath = options.pluginPath
            elicitation.progress = options.progress
            elicitation.environment = options.environment
            log("== knowledge: \(recipe.knowledge.map(\.name).joined(separator: ", "))")
            let result = try await Elicitation.run(elicitation)
            let failedUnits = result.reports.reduce(0) { $0 + $1.failures.count }
            if failedUnits > 0 {
                throw DistillError("\(failedUnits) knowledge units failed for good (see above); run the same command again to retry them before training")
            }
        }
        let wantsModel = options.phases.contains(where: { $0 != .elicit })
        if wantsModel, let studentSpec = recipe.student {
            let models = try RunModels.load(recipe: recipe, student: studentSpec, modelsDirectory: options.modelsDirectory, log: log)
            let session = TrainingSession(recipe: recipe, store: store, runDirectory: runDirectory, models: models,
                                          evaluators: evaluators, rewards: rewards, log: log)
            try session.trainAndEvaluate(train: options.phases.contains(.train), evaluate: options.phases.contains(.eval))
            if options.phases.contains(.eval), let judge, let judgeBinding {
                log("== the teacher judges the held-out answers pairwise (positions swapped)")
                let built = try TeacherFactory.build(recipe.teacher, cache: store, modelsDirectory: options.modelsDirectory,
                                                     environment: options.environment, loadedModel: models.teacher)
                var whiteBox: LogprobVerdict?
                if judge.readsProbabilities(teacher: recipe.teacher.backend) {
                    guard let teacher = models.teacher else {
                        throw DistillError("evaluate.judge reads a white-box teacher's probabilities, but no local teacher is loaded; use method: text")
                    }
                    whiteBox = try LogprobVerdict(model: teacher)
                }
                try await PairwiseJudging(spec: judge, binding: judgeBinding, teacher: built.teacher, store: store, seed: recipe.seed,
                                          whiteBox: whiteBox, log: log).run()
                if let score = judge.score {
                    log("== the teacher grades each held-out answer on the \(judge.plugin).\(score.template) rubric")
                    try await RubricScoring(spec: score, maxTokens: judge.maxTokens, binding: judgeBinding, teacher: built.teacher,
                                            store: store, seed: recipe.seed, log: log).run()
                }
            }
            if options.phases.contains(.export) {
                var bundle = BundleOptions(runDirectory: runDirectory, output: runDirectory + "/" + StudentExport.bundleFolder)
                bundle.pluginPath = options.pluginPath
                bundle.environment = options.environment
                try StudentExport(recipe: recipe, store: store, runDirectory: runDirectory, models: models, bundle: bundle, log: log)
                    .run(loadWeights: session.loadWeights(ofStage:))
            }
        } else if wantsModel {
            log("The recipe has no `student` block: only its knowledge stages ran.")
        }
        return RunSummary(runDirectory: runDirectory, evaluations: try store.evaluations(), artifacts: try store.artifacts())
    }
}

/// The teacher (white-box when local) and the student a run trains.
struct RunModels {
    let teacher: LocalLanguageModel?
    let student: LocalLanguageModel
    /// The GGUF file or model folder the student's tokenizer came from (the local teacher's, or the
    /// `model` it started from); its tokenizer metadata goes into the exported GGUF.
    let sourcePath: String?

    static func load(recipe: Recipe, student spec: StudentSpec, modelsDirectory: String?, log: (String) -> Void) throws -> RunModels {
        let directory = ModelStore.directory(explicit: modelsDirectory)
        var teacher: LocalLanguageModel?
        var teacherPath: String?
        if recipe.teacher.backend == .local {
            let path = try ModelStore.resolve(recipe.teacher.model, directory: directory)
            log("== loading the teacher \(recipe.teacher.model)")
            teacher = try LocalLanguageModel(modelPath: path)
            teacherPath = path
        }
        var sourcePath = teacherPath
        let student: LocalLanguageModel
        switch spec.initialization {
        case .teacherLayers(let choice):
            guard let teacher else {
                throw DistillError("\(recipe.file): student.from teacher needs a local teacher to copy layers from; this teacher is \(recipe.teacher.backend.rawValue). Use `student: {from: model, model: <name>}`")
            }
            let keep = try choice.resolve(layerCount: teacher.model.config.numHiddenLayers)
            log("== student: \(keep.count) of the teacher's \(teacher.model.config.numHiddenLayers) layers \(keep)")
            student = try LocalLanguageModel(model: try LlamaModel.layerSubset(of: teacher.model, keep: keep), info: teacher.info,
                                             tokenizer: teacher.tokenizer)
        case .model(let name, let layers):
            let path = try ModelStore.resolve(name, directory: directory)
            let base = try LocalLanguageModel(modelPath: path)
            sourcePath = path
            if let layers {
                let keep = try layers.resolve(layerCount: base.model.config.numHiddenLayers)
                student = try LocalLanguageModel(model: try LlamaModel.layerSubset(of: base.model, keep: keep), info: base.info,
                                                 tokenizer: base.tokenizer)
            } else {
                base.model.unfreezeBaseParameters()  // loaded for inference; it trains now
                student = base
            }
        case .scratch(let hidden, let layers, let heads, let kvHeads, let intermediate):
            guard let teacher else {
                throw DistillError("\(recipe.file): a student from scratch takes its tokenizer from a local teacher; this teacher is \(recipe.teacher.backend.rawValue)")
            }
            var config = teacher.model.config
            config.hiddenSize = hidden
            config.numHiddenLayers = layers
            config.numAttentionHeads = heads
            config.numKeyValueHeads = kvHeads
            config.intermediateSize = intermediate
            config.headDim = nil
            student = try LocalLanguageModel(model: try LlamaModel(config: config, seed: recipe.seed), info: teacher.info,
                                             tokenizer: teacher.tokenizer)
        }
        if let lora = spec.lora {
            try student.model.addLoRA(rank: lora.rank, alpha: Float(lora.alpha), dropout: Float(lora.dropout),
                                      projections: Set(try lora.projections.map { try LlamaProjection.named($0) }), seed: recipe.seed)
        }
        return RunModels(teacher: teacher, student: student, sourcePath: sourcePath)
    }
}
