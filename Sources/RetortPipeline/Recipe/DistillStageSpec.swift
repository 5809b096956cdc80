// One entry of the recipe's `distill` list: which records it trains on, the objective mixture,
// the budget (steps or epochs), batch shape, optimizer and schedule, checkpoints, and an optional
// on-policy part (GKD / MiniLLM: the student's own samples scored by the teacher). Token and
// hidden-state objectives train on conversations, preference objectives (dpo, rrhf, pro) on
// preference pairs, and with `rollouts` sequence objectives (policy-gradient, rrhf, pro) train on
// the student's own answers to the data's prompts, scored by a plugin evaluator (RL).
import RetortDistill
import RetortTensor

public struct DistillStageSpec: Sendable {
    public struct OnPolicy: Sendable, Hashable {
        /// λ: the share of each step's examples the student samples itself (the rest come from the data).
        public var ratio: Double
        public var maxTokens: Int
        public var temperature: Double
    }

    /// RL on the student's samples: `samples` answers to each of `prompts` prompts per step, each
    /// scored by the plugin evaluator `reward` ("<plugin>.<evaluator>", its `metric` when it
    /// returns several) against the data's reference answer, or by the reward model an earlier
    /// stage trained ("stage:<name>").
    public struct Rollouts: Sendable, Hashable {
        public var reward: String
        /// The reward-model stage named by `reward: stage:<name>`, or nil for a plugin evaluator.
        public var rewardStage: String? {
            reward.hasPrefix("stage:") ? String(reward.dropFirst("stage:".count)) : nil
        }
        public var metric: String?
        public var samples: Int
        public var prompts: Int
        public var maxTokens: Int
        public var temperature: Double
    }

    public enum Schedule: String, Sendable, CaseIterable { case constant, linear, cosine }

    /// The weights a stage starts from: the stage listed before it (the default), the un-distilled
    /// student, or a named earlier stage, so several stages can branch from one point and be compared.
    public enum Start: Sendable, Hashable {
        case previous
        case initial
        case stage(String)
    }

    public var name: String
    public var start: Start
    /// Knowledge stages whose conversation records are the data (empty: every stage's).
    public var data: [String]
    public var objectives: [ObjectiveRegistry.MixturePart]
    /// Optimizer steps (resolved from `epochs` once the data size is known when nil).
    public var steps: Int?
    public var epochs: Double?
    public var batchRows: Int
    public var sequenceLength: Int
    public var accumulation: Int
    public var learningRate: Double
    public var schedule: Schedule
    public var warmupSteps: Int
    public var minimumLearningRate: Double
    public var weightDecay: Double
    public var clipNorm: Double
    public var temperature: Double
    /// Top-k of the teacher's distributions kept per position (distribution objectives).
    public var teacherTopK: Int
    public var checkpointEvery: Int
    public var onPolicy: OnPolicy?
    public var rollouts: Rollouts?
    /// Skips loss spikes and lowers the rate after them (on unless `spike_guard: false`).
    public var spikeGuard: LossSpikeGuard?
    /// The matrix products' inputs (`precision: float32 | bf16`); bf16 keeps float32 master weights.
    public var precision: MatrixPrecision = .float32

    /// Whether the stage trains a reward model (bradley-terry) on preference pairs instead of the student.
    public var trainsRewardModel: Bool { objectives.contains { $0.name == "bradley-terry" } }

    /// Token objectives train on conversations; sequence objectives (dpo, rrhf, pro) on preference
    /// pairs. A stage has one level (checked when the recipe is read).
    public var level: ObjectiveLevel {
        objectives.contains { ObjectiveRegistry.builtIn.descriptor(named: $0.name)?.level == .sequence } ? .sequence : .token
    }

    /// Whether an objective of the mixture needs the teacher's distributions (token objectives but `sft`).
    public var needsTeacherDistributions: Bool {
        objectives.contains { $0.name != "sft" && ObjectiveRegistry.builtIn.descriptor(named: $0.name)?.level == .token }
    }

    /// Whether the mixture has hidden-state objectives (mse, l1, cosine, mmd), which run the teacher on every batch.
    public var needsTeacherHiddenStates: Bool {
        objectives.contains { ObjectiveRegistry.builtIn.descriptor(named: $0.name)?.level == .feature }
    }

    /// The hidden-state pairs of feature objectives (student ↔ teacher, 0 = embeddings, k = after
    /// layer k); empty: each student layer's output with the teacher's at the same relative depth.
    public var featureLayers: [FeatureLayerPair]

    static let fields: Set<String> = [
        "name", "from", "data", "objectives", "steps", "epochs", "batch", "sequence_length", "accumulation", "learning_rate",
        "schedule", "warmup", "min_learning_rate", "weight_decay", "clip_norm", "temperature", "top_k", "checkpoint_every",
        "on_policy", "spike_guard", "feature_layers", "rollouts", "precision",
    ]

    static let rolloutFields: Set<String> = ["reward", "metric", "samples", "prompts", "max_tokens", "temperature"]

    static func decode(_ node: RecipeNode, index: Int) throws(RecipeError) -> DistillStageSpec {
        let f = try node.mapping(allowed: fields)
        let objectives = try decodeObjectives(try f.required("objectives"))
        var steps = try f.optionalInt("steps")
        let epochs = try f.optionalDouble("epochs")
        if let s = steps, s < 1 { throw f["steps"]!.error("must be at least 1, got \(s)") }
        if let e = epochs, !(e > 0 && e <= 1000) { throw f["epochs"]!.error("must be in (0, 1000], got \(e)") }
        if steps == nil && epochs == nil { steps = 50 }
        if steps != nil && epochs != nil { throw node.error("give `steps` or `epochs`, not both") }
        var onPolicy: OnPolicy?
        if let p = f["on_policy"] {
            let m = try p.mapping(allowed: ["ratio", "max_tokens", "temperature"])
            onPolicy = OnPolicy(ratio: try m.double("ratio", default: 0.5, in: 0...1), maxTokens: try m.int("max_tokens", default: 64, in: 1...4096),
                                temperature: try m.double("temperature", default: 1, in: 0...5))
            if objectives.contains(where: { ObjectiveRegistry.builtIn.descriptor(named: $0.name)?.level == .sequence }) {
                throw p.error("on-policy sampling goes with token objectives (reverse-kl, jsd, …); a preference stage trains on its preference pairs")
            }
            if !objectives.contains(where: { $0.name != "sft" && ObjectiveRegistry.builtIn.descriptor(named: $0.name)?.level == .token }) {
                throw p.error("on-policy samples have no teacher text to imitate: add a distribution objective (reverse-kl, jsd, forward-kl, …)")
            }
        }
        let rollouts = try decodeRollouts(f["rollouts"], objectives: objectives, onPolicy: f["on_policy"])
        if rollouts == nil, let index = objectives.firstIndex(where: { $0.name == "policy-gradient" }) {
            throw try f.required("objectives").list()[index].error(
                "policy-gradient needs a reward for every sampled answer: add `rollouts: {reward: <plugin>.<evaluator>}` to sample the "
                + "student's answers and score them, or use dpo, rrhf or pro on preference pairs")
        }
        let batch = try f.int("batch", default: 4, in: 1...1024)
        var spec = DistillStageSpec(
            name: try f.optionalString("name") ?? "distill-\(index + 1)", start: try decodeStart(f["from"]), data: try f.strings("data"), objectives: objectives,
            steps: steps, epochs: epochs, batchRows: batch, sequenceLength: try f.int("sequence_length", default: 256, in: 8...32_768),
            accumulation: try f.int("accumulation", default: 1, in: 1...1024),
            learningRate: try f.double("learning_rate", default: 1e-4, in: 1e-9...1),
            schedule: Schedule(rawValue: try f.choice("schedule", Schedule.allCases.map(\.rawValue), default: "cosine"))!,
            warmupSteps: try f.int("warmup", default: 0, in: 0...1_000_000),
            minimumLearningRate: try f.double("min_learning_rate", default: 0, in: 0...1),
            weightDecay: try f.double("weight_decay", default: 0.01, in: 0...1), clipNorm: try f.double("clip_norm", default: 1, in: 0.0001...1e6),
            temperature: try f.double("temperature", default: 1, in: 0.05...20), teacherTopK: try f.int("top_k", default: 32, in: 1...1024),
            checkpointEvery: try f.int("checkpoint_every", default: 25, in: 1...1_000_000), onPolicy: onPolicy,
            spikeGuard: try decodeSpikeGuard(f["spike_guard"]), featureLayers: try decodeFeatureLayers(f["feature_layers"]))
        spec.rollouts = rollouts
        spec.precision = MatrixPrecision(rawValue: try f.choice("precision", MatrixPrecision.allCases.map(\.rawValue), default: "float32"))!
        if spec.precision == .bfloat16, GEMM.bfloat16Backend == nil {
            throw try f.required("precision").error(
                "bf16 products need oneDNN (Debian's libdnnl-dev) and a CPU with AVX512-BF16 or AMX, which this machine lacks; use float32")
        }
        if spec.trainsRewardModel, let other = objectives.first(where: { $0.name != "bradley-terry" }) {
            throw try f.required("objectives").error("bradley-terry trains a reward model, which \(other.name) does not; give it a stage of its own")
        }
        if spec.trainsRewardModel, let p = f["on_policy"] { throw p.error("goes with token objectives, not with a reward model's bradley-terry") }
        if let layers = f["feature_layers"], !spec.needsTeacherHiddenStates {
            throw layers.error("pairs hidden states for feature objectives, and this stage has none: add mse, l1, cosine or mmd to `objectives`")
        }
        return spec
    }

    /// `rollouts: {reward: code.pass-at-1, samples: 4, prompts: 2, max_tokens: 128, temperature: 1}`;
    /// only with sequence objectives of the policy (not bradley-terry) and without on_policy.
    static func decodeRollouts(_ node: RecipeNode?, objectives: [ObjectiveRegistry.MixturePart], onPolicy: RecipeNode?)
        throws(RecipeError) -> Rollouts? {
        guard let node else { return nil }
        let m = try node.mapping(allowed: rolloutFields)
        let reward = try m.string("reward")
        let parts = reward.split(separator: ".", omittingEmptySubsequences: false)
        guard (parts.count == 2 && parts.allSatisfy({ !$0.isEmpty })) || (reward.hasPrefix("stage:") && reward.count > 6) else {
            throw try m.required("reward").error(
                "should be <plugin>.<evaluator> (e.g. reasoning.exact-match) or stage:<a reward-model stage>, got \"\(reward)\"")
        }
        if let name = objectives.first(where: { $0.name == "bradley-terry" })?.name {
            throw node.error("\(name) trains a reward model on preference pairs; sample and score answers in a later stage")
        }
        if let onPolicy { throw onPolicy.error("goes with token objectives; a stage with `rollouts` already trains on the student's own samples") }
        if let token = objectives.first(where: { ObjectiveRegistry.builtIn.descriptor(named: $0.name)?.level != .sequence }) {
            throw node.error("train sequence objectives (policy-gradient, rrhf, pro) on scored samples; \(token.name) is not one")
        }
        return Rollouts(reward: reward, metric: try m.optionalString("metric"), samples: try m.int("samples", default: 4, in: 2...64),
                        prompts: try m.int("prompts", default: 2, in: 1...1024), maxTokens: try m.int("max_tokens", default: 64, in: 1...4096),
                        temperature: try m.double("temperature", default: 1, in: 0.05...5))
    }

    /// `feature_layers: [[6, 15], [12, 30, 0.5]]`: student and teacher hidden-state numbers, and an optional weight.
    static func decodeFeatureLayers(_ node: RecipeNode?) throws(RecipeError) -> [FeatureLayerPair] {
        guard let node else { return [] }
        var pairs: [FeatureLayerPair] = []
        for item in try node.list() {
            let values = try item.list()
            guard values.count == 2 || values.count == 3 else {
                throw item.error("give [student layer, teacher layer] or [student layer, teacher layer, weight]")
            }
            let student = try values[0].double(), teacher = try values[1].double()
            for (value, entry) in [(student, values[0]), (teacher, values[1])] where !(value >= 0 && value <= 10_000 && value == value.rounded()) {
                throw entry.error("a layer is a whole number from 0 (the embeddings) up to the model's layer count, got \(value)")
            }
            let weight = values.count == 3 ? try values[2].double() : 1
            guard weight.isFinite && weight >= 0 else { throw values[2].error("a weight must be finite and >= 0, got \(weight)") }
            pairs.append(FeatureLayerPair(studentLayer: Int(student), teacherLayer: Int(teacher), weight: weight))
        }
        guard !pairs.isEmpty else { throw node.error("list at least one [student layer, teacher layer] pair, or leave it out") }
        return pairs
    }

    /// `from: initial` (the un-distilled student), `from: previous`, or `from: <an earlier distill stage>`
    /// (checked by the recipe, which knows the stages).
    static func decodeStart(_ node: RecipeNode?) throws(RecipeError) -> Start {
        guard let node else { return .previous }
        switch try node.string() {
        case "previous": return .previous
        case "initial": return .initial
        case let name where name.isEmpty: throw node.error("names no stage; use initial, previous or an earlier distill stage's name")
        case let name: return .stage(name)
        }
    }

    /// `spike_guard: false`, or `{factor: 3, window: 16, backoff: 0.5}` (each optional).
    static func decodeSpikeGuard(_ node: RecipeNode?) throws(RecipeError) -> LossSpikeGuard? {
        guard let node else { return LossSpikeGuard() }
        if let on = try? node.bool() { return on ? LossSpikeGuard() : nil }
        let m = try node.mapping(allowed: ["factor", "window", "backoff"])
        let defaults = LossSpikeGuard()
        return LossSpikeGuard(factor: try m.double("factor", default: defaults.factor, in: 1.01...1000),
                              window: try m.int("window", default: defaults.window, in: 2...10_000),
                              backoff: try m.double("backoff", default: defaults.backoff, in: 0.01...1))
    }

    /// `objectives: [sft]`, `[{name: jsd, weight: 0.5, beta: 0.5}, …]`; names and parameters are
    /// checked against the built-in registry (plugin objectives are checked when plugins load).
    static func decodeObjectives(_ node: RecipeNode) throws(RecipeError) -> [ObjectiveRegistry.MixturePart] {
        var parts: [ObjectiveRegistry.MixturePart] = []
        for item in try node.list() {
            var part: ObjectiveRegistry.MixturePart
            if let name = try? item.string() {
                part = .init(name: name, weight: 1)
            } else {
                let names = ObjectiveRegistry.builtIn.names
                let m = try item.mapping(allowed: Set(["name", "weight"]).union(Self.parameterNames))
                let name = try m.string("name")
                guard names.contains(name) else { throw try m.required("name").error("unknown objective \"\(name)\"; built in: \(names.joined(separator: ", "))") }
                var parameters: [String: Double] = [:]
                for key in m.order where key != "name" && key != "weight" { parameters[key] = try m.required(key).double() }
                part = .init(name: name, weight: try m.double("weight", default: 1, in: 0...1000), parameters: parameters)
            }
            let level: ObjectiveLevel
            do {
                level = try ObjectiveRegistry.builtIn.make(part.name, parameters: part.parameters).level
            } catch {
                throw item.error("\(error)")
            }
            if let first = parts.first, let firstLevel = ObjectiveRegistry.builtIn.descriptor(named: first.name)?.level,
               (firstLevel == .sequence) != (level == .sequence) {
                throw item.error("mixes \(first.name) (\(firstLevel.rawValue) level) with \(part.name) (\(level.rawValue) level); a stage trains "
                                 + "token and hidden-state objectives (sft, forward-kl, jsd, …, mse, cosine) on conversations or "
                                 + "preference objectives (dpo, rrhf, pro) on preference pairs: split them into two stages")
            }
            parts.append(part)
        }
        guard !parts.isEmpty else { throw node.error("needs at least one objective (e.g. [sft] or [{name: reverse-kl, weight: 1}])") }
        return parts
    }

    /// Every parameter name a built-in token objective takes.
    static var parameterNames: Set<String> {
        let registry = ObjectiveRegistry.builtIn
        return Set(registry.names.compactMap { registry.descriptor(named: $0) }.flatMap { $0.parameters.map(\.name) })
    }
}
