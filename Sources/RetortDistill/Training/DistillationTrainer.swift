// The training loop of one student: draw packed micro-batches, run the forward, evaluate the
// objective mixture over the logits in chunks, backpropagate, accumulate, clip and take an AdamW
// step; a step whose loss or gradients come out NaN or infinite, or whose loss spikes far above the
// recent level (LossSpikeGuard), is skipped and reported.
import Foundation
import RetortModels
import RetortTensor

public final class DistillationTrainer {
    public let model: LlamaModel
    public let configuration: TrainerConfiguration
    public let optimizer: AdamW
    /// Optimizer steps taken (skipped steps included), which is also the schedule's next step.
    public internal(set) var completedSteps = 0
    public internal(set) var dataOrder: TrainingDataOrder
    /// The spike guard's recent losses and learning-rate scale (checkpointed).
    public internal(set) var spikeState = LossSpikeGuard.State()
    let examples: [TrainingExample]
    let lengths: [Int]
    let parts: [WeightedObjective]
    /// Hidden-state objectives of a token stage and the teacher they compare with, or nil.
    let features: FeatureDistillation?
    /// Preference training (DPO, RRHF, PRO): the ranked answers and the sequence objectives; empty
    /// when training on token objectives.
    let preferences: [PreferenceExample]
    let sequenceParts: [WeightedSequenceObjective]
    /// log π_ref of every answer of every preference, from the weights the stage started with:
    /// computed before the first step, then kept in checkpoints.
    public internal(set) var referenceLogps: [[Float]]?
    /// The scalar head of a reward model being trained on the preferences (Bradley–Terry), or nil
    /// when the preferences train the policy itself.
    let rewardHead: RewardHead?
    /// The frozen reference policy of a trainer on rollouts (its log π_ref enters the KL penalty),
    /// or nil.
    let referenceModel: LlamaModel?

    /// Checks every example and setting, builds the objectives from `registry`, and an AdamW over
    /// the model's trainable parameters. Feature objectives among them compare the student's hidden
    /// states with `featureTeacher`'s (same vocabulary) on `configuration.featureLayers`, through
    /// learned projections trained alongside the model when the widths differ.
    public init(model: LlamaModel, examples: [TrainingExample], configuration: TrainerConfiguration,
                registry: ObjectiveRegistry = .builtIn, featureTeacher: LlamaModel? = nil) throws {
        try configuration.validate()
        guard !examples.isEmpty else { throw TrainerError.noExamples }
        for (index, example) in examples.enumerated() {
            try example.validate(index: index, vocab: model.config.vocabSize)
            if example.tokens.count > configuration.sequenceLength {
                throw TrainerError.exampleTooLong(index: index, length: example.tokens.count,
                                                  sequenceLength: configuration.sequenceLength)
            }
        }
        self.model = model
        self.configuration = configuration
        self.examples = examples
        lengths = examples.map(\.tokens.count)
        var tokenParts: [WeightedObjective] = []
        var featureParts: [(name: String, weight: Double, objective: any FeatureObjective)] = []
        for part in configuration.objectives {
            switch try registry.make(part.name, parameters: part.parameters) {
            case .token(let objective): tokenParts.append(WeightedObjective(name: part.name, weight: part.weight, objective: objective))
            case .feature(let objective): featureParts.append((part.name, part.weight, objective))
            case .sequence:
                throw ObjectiveError.wrongLevel(name: part.name, level: "sequence", expected: "token or feature (train sequence objectives on preferences)")
            }
        }
        parts = tokenParts
        if !parts.isEmpty { _ = try TokenObjectiveMixture(parts.map { .init(weight: $0.weight, objective: $0.objective) }) }  // checks the weights
        features = featureParts.isEmpty ? nil
            : try FeatureDistillation(objectives: featureParts, pairs: configuration.featureLayers, student: model, teacher: featureTeacher,
                                      seed: configuration.seed)
        preferences = []
        rewardHead = nil
        referenceModel = nil
        sequenceParts = []
        optimizer = AdamW(parameters: model.trainableParameters + (try features?.trainableParameters() ?? []), configuration: configuration.adamW)
        dataOrder = TrainingDataOrder(count: examples.count, seed: configuration.seed, shuffles: configuration.shuffles)
    }

    /// A trainer of sequence objectives on ranked answers: `configuration.objectives` names
    /// objectives of the sequence level that differentiate log-probabilities (dpo, rrhf, pro).
    /// The reference policy is the model as it is when the first step runs.
    public convenience init(model: LlamaModel, preferences: [PreferenceExample], configuration: TrainerConfiguration,
                            registry: ObjectiveRegistry = .builtIn) throws {
        try self.init(model: model, rewardHead: nil, preferences: preferences, configuration: configuration, registry: registry)
    }

    /// A trainer of a reward model on ranked answers: `configuration.objectives` names objectives of
    /// the rewards (bradley-terry), which score every answer by the head on its last token.
    public convenience init(rewardModel: RewardModel, preferences: [PreferenceExample], configuration: TrainerConfiguration,
                            registry: ObjectiveRegistry = .builtIn) throws {
        try self.init(model: rewardModel.base, rewardHead: rewardModel.head, preferences: preferences,
                      configuration: configuration, registry: registry)
    }

    private init(model: LlamaModel, rewardHead: RewardHead?, preferences: [PreferenceExample], configuration: TrainerConfiguration,
                 registry: ObjectiveRegistry) throws {
        try configuration.validate()
        guard !preferences.isEmpty else { throw TrainerError.noExamples }
        for (index, preference) in preferences.enumerated() {
            try preference.validate(index: index, vocab: model.config.vocabSize, B: configuration.batchRows, T: configuration.sequenceLength)
        }
        self.model = model
        self.rewardHead = rewardHead
        referenceModel = nil
        self.configuration = configuration
        self.preferences = preferences
        examples = []
        lengths = []
        parts = []
        features = nil
        sequenceParts = try configuration.objectives.map {
            let objective = try registry.makeSequenceObjective($0.name, parameters: $0.parameters)
            if rewardHead == nil && objective.gradientInput != .logps {
                throw TrainerError.invalidSetting(
                    name: "objective \($0.name)", value: "a reward-model objective",
                    allowed: "an objective of the policy's log-probabilities (dpo, rrhf, pro) to train a policy on preferences")
            }
            if rewardHead != nil && objective.gradientInput != .rewards {
                throw TrainerError.invalidSetting(
                    name: "objective \($0.name)", value: "an objective of the policy's log-probabilities",
                    allowed: "an objective of the rewards (bradley-terry) to train a reward model")
            }
            return WeightedSequenceObjective(name: $0.name, weight: $0.weight, objective: objective)
        }
        _ = try SequenceObjectiveMixture(sequenceParts.map { .init(weight: $0.weight, objective: $0.objective) })  // checks the weights
        optimizer = AdamW(parameters: model.trainableParameters + [rewardHead?.weight].compactMap { $0?.trainable },
                          configuration: configuration.adamW)
        dataOrder = TrainingDataOrder(count: preferences.count, seed: configuration.seed, shuffles: configuration.shuffles)
    }

    /// A trainer of the policy on its own scored samples (`step(rollouts:)`): `configuration.objectives`
    /// names sequence objectives of the log-probabilities, usually policy-gradient (whose KL
    /// penalty reads log π_ref from `reference`, a frozen model of the policy's vocabulary; nil
    /// when kl_coef is 0). Ranking objectives (rrhf, pro) order each group by reward.
    public init(policy: LlamaModel, reference: LlamaModel?, configuration: TrainerConfiguration,
                registry: ObjectiveRegistry = .builtIn) throws {
        try configuration.validate()
        if let reference {
            guard reference !== policy else {
                throw TrainerError.invalidSetting(name: "reference policy", value: "the policy itself",
                                                  allowed: "a separate, frozen copy (the policy changes every step)")
            }
            guard reference.config.vocabSize == policy.config.vocabSize else {
                throw ObjectiveError.sizeMismatch(what: "vocabulary (the reference scores the policy's samples)",
                                                  student: policy.config.vocabSize, teacher: reference.config.vocabSize)
            }
        }
        model = policy
        referenceModel = reference
        rewardHead = nil
        self.configuration = configuration
        examples = []
        lengths = []
        parts = []
        features = nil
        preferences = []
        sequenceParts = try configuration.objectives.map {
            let objective = try registry.makeSequenceObjective($0.name, parameters: $0.parameters)
            guard objective.gradientInput == .logps else {
                throw TrainerError.invalidSetting(name: "objective \($0.name)", value: "a reward-model objective",
                                                  allowed: "an objective of the policy's log-probabilities (policy-gradient, rrhf, pro)")
            }
            return WeightedSequenceObjective(name: $0.name, weight: $0.weight, objective: objective)
        }
        _ = try SequenceObjectiveMixture(sequenceParts.map { .init(weight: $0.weight, objective: $0.objective) })  // checks the weights
        optimizer = AdamW(parameters: policy.trainableParameters, configuration: configuration.adamW)
        dataOrder = TrainingDataOrder(count: 0, seed: configuration.seed, shuffles: configuration.shuffles)
    }

    /// Runs steps until `maxSteps`, calling `onStep` after each.
    @discardableResult
    public func run(onStep: (StepResult) throws -> Void = { _ in }) throws -> [StepResult] {
        var results: [StepResult] = []
        while completedSteps < configuration.maxSteps {
            let result = try step()
            results.append(result)
            try onStep(result)
        }
        return results
    }

    /// One optimizer step over `gradientAccumulationSteps` micro-batches. The loss is the mean over
    /// every trained position of all micro-batches, so accumulating k micro-batches equals one
    /// batch k times as large. Saves a checkpoint when the interval is reached.
    public func step() throws -> StepResult {
        try step(providing: nil)
    }

    /// One optimizer step on the given micro-batches (each packed into batchRows × sequenceLength)
    /// instead of the next ones of the data order, which stays where it is: how on-policy
    /// distillation trains on the student's own samples between steps on the dataset.
    public func step(providing microBatches: [[TrainingExample]]?) throws -> StepResult {
        let result = try takeStep(provided: microBatches)
        if let directory = configuration.checkpointDirectory, let interval = configuration.checkpointInterval,
           completedSteps % interval == 0 {
            try saveCheckpoint(to: directory)
        }
        return result
    }

    private func takeStep(provided: [[TrainingExample]]?) throws -> StepResult {
        if examples.isEmpty && preferences.isEmpty {
            throw TrainerError.invalidSetting(name: "step", value: "without rollouts on a policy-gradient trainer",
                                              allowed: "step(rollouts:) with the policy's scored samples")
        }
        if !preferences.isEmpty && rewardHead == nil && referenceLogps == nil { referenceLogps = try computeReferenceLogps() }
        return try finishStep(learningRate: currentLearningRate, kind: provided == nil ? "data" : "provided") { learningRate in
            try preferences.isEmpty ? tokenGradients(provided: provided, learningRate: learningRate)
                                    : preferenceGradients(learningRate: learningRate)
        }
    }

    /// The schedule's rate at the next step, lowered by the spike guard's scale.
    var currentLearningRate: Float {
        configuration.learningRate.learningRate(atStep: completedSteps) * Float(spikeState.learningRateScale)
    }

    /// Runs the gradient pass, then skips the step (NaN/Inf, a spike of this `kind` of batch) or
    /// clips and applies it. `kind` nil: no spike guard.
    func finishStep(learningRate: Float, kind: String?, pass makePass: (Float) throws -> GradientPass) throws -> StepResult {
        // Forward and backward products in the configured precision; the optimizer and every other op stay float32.
        let pass = try GEMM.$precision.withValue(configuration.matrixPrecision) { try makePass(learningRate) }
        if let reason = pass.skipReason { return skip(pass.result, reason: reason) }
        var result = pass.result
        if let guardrail = configuration.spikeGuard, let kind, result.trainedPositions > 0,
           let spike = guardrail.check(loss: result.loss, kind: kind, state: &spikeState) {
            return skip(result, reason: spike)
        }
        let gradients = optimizer.parameters.map(\.gradient)
        let norm = GradientClipping.globalNorm(gradients)
        result.gradientNorm = norm
        guard norm.isFinite else { return skip(result, reason: "the gradient norm is \(norm)") }
        if let clipNorm = configuration.clipNorm { GradientClipping.clipByGlobalNorm(gradients, maxNorm: clipNorm) }
        optimizer.step(learningRate: learningRate)
        return result
    }

    /// What a step's forward and backward passes left: the result so far (gradients accumulated in
    /// the parameters), or why the step must be skipped.
    struct GradientPass {
        var result: StepResult
        var skipReason: String?
    }

    /// The token objectives' pass over the next micro-batches of the data order (or the provided ones).
    private func tokenGradients(provided: [[TrainingExample]]?, learningRate: Float) throws -> GradientPass {
        let c = configuration
        var batches: [PackedBatch] = []
        if let provided {
            guard !provided.isEmpty else { throw TrainerError.noExamples }
            for examples in provided {
                batches.append(try PackedBatch(examples: examples, B: c.batchRows, T: c.sequenceLength, vocab: model.config.vocabSize))
            }
        } else {
            for _ in 0..<c.gradientAccumulationSteps {
                let indices = dataOrder.nextMicroBatch(lengths: lengths, B: c.batchRows, T: c.sequenceLength)
                batches.append(try PackedBatch(examples: indices.map { examples[$0] }, B: c.batchRows, T: c.sequenceLength,
                                               vocab: model.config.vocabSize))
            }
        }
        completedSteps += 1
        let totalWeight = batches.reduce(0) { $0 + $1.lossWeight }
        var result = StepResult(
            step: completedSteps, loss: 0, objectiveLosses: [:], learningRate: learningRate, gradientNorm: .nan,
            tokens: batches.reduce(0) { $0 + $1.realTokenCount }, trainedPositions: totalWeight, skipped: false)
        optimizer.zeroGradients()
        // Token parts first, then feature parts: names and weights in that order.
        let names = parts.map(\.name) + (features?.parts.map(\.name) ?? [])
        let weights = parts.map(\.weight) + (features?.parts.map(\.weight) ?? [])
        var values = [ObjectiveValue](repeating: .zero, count: names.count)
        let scale = totalWeight > 0 ? 1 / totalWeight : 0
        do {
            for batch in batches {
                let output = try model.forward(tokens: batch.tokens, B: batch.B, T: batch.T, positions: batch.positions,
                                               segments: batch.segments, keepHiddenStates: Set(features?.studentIndices ?? []))
                var batchValues = try ChunkedObjectiveEvaluation.evaluate(
                    parts: parts, logits: output.logits, batch: batch, temperature: c.temperature,
                    chunkPositions: c.chunkPositions, gradientScale: scale)
                var dHidden: [Int: Tensor] = [:]
                if let features {
                    let evaluated = try features.evaluate(batch: batch, studentHidden: output.hiddenStates, scale: scale)
                    batchValues += evaluated.values
                    dHidden = evaluated.gradients
                }
                for k in values.indices { values[k] += batchValues[k] }
                if let bad = values.firstIndex(where: { !$0.lossSum.isFinite }) {
                    return GradientPass(result: result, skipReason: "\(names[bad]) loss is \(values[bad].lossSum)")
                }
                try model.backward(dlogits: output.logits, dHiddenStates: dHidden)
            }
        } catch let error as ObjectiveError where error.isNonFinite {
            return GradientPass(result: result, skipReason: error.localizedDescription)
        }
        for k in names.indices {
            let partLoss = totalWeight > 0 ? values[k].lossSum / totalWeight : 0
            result.objectiveLosses[names[k]] = partLoss
            result.loss += weights[k] * partLoss
        }
        return GradientPass(result: result)
    }

    /// Reports the step as skipped: gradients cleared, no update.
    private func skip(_ result: StepResult, reason: String) -> StepResult {
        optimizer.zeroGradients()
        var skipped = result
        skipped.skipped = true
        skipped.skipReason = reason
        return skipped
    }
}

extension ObjectiveError {
    /// Whether the error says a number came out (or came in) NaN or infinite, which skips a step
    /// instead of stopping the run.
    var isNonFinite: Bool {
        switch self {
        case .nonFiniteValue, .nonFiniteLoss: true
        default: false
        }
    }
}
