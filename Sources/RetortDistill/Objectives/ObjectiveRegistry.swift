// Objectives by name, built-in and plugin alike: a recipe's `{"name": "jsd", "parameters":
// {"beta": 0.5}}` becomes an objective here, with unknown names, unknown parameters and
// out-of-range values rejected before training starts.
import Foundation

public enum ObjectiveLevel: String, Sendable {
    case token, sequence, feature
}

/// An objective the registry made, at its level.
public enum RegisteredObjective: Sendable {
    case token(any TokenObjective)
    case sequence(any SequenceObjective)
    case feature(any FeatureObjective)

    public var level: ObjectiveLevel {
        switch self {
        case .token: return .token
        case .sequence: return .sequence
        case .feature: return .feature
        }
    }
}

/// One hyper-parameter: its default and the values it accepts.
public struct ObjectiveParameter: Sendable {
    public var name: String
    public var defaultValue: Double
    /// Human text for errors ("in [0, 1]").
    public var allowed: String
    public var accepts: @Sendable (Double) -> Bool

    public init(name: String, defaultValue: Double, allowed: String, accepts: @escaping @Sendable (Double) -> Bool) {
        self.name = name
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.accepts = accepts
    }
}

/// What the registry knows about one objective.
public struct ObjectiveDescriptor: Sendable {
    public var name: String
    public var level: ObjectiveLevel
    public var summary: String
    public var parameters: [ObjectiveParameter]
    /// Builds the objective from a complete, checked parameter set (defaults filled in).
    public var make: @Sendable ([String: Double]) throws -> RegisteredObjective

    public init(
        name: String, level: ObjectiveLevel, summary: String, parameters: [ObjectiveParameter] = [],
        make: @escaping @Sendable ([String: Double]) throws -> RegisteredObjective
    ) {
        self.name = name
        self.level = level
        self.summary = summary
        self.parameters = parameters
        self.make = make
    }
}

public struct ObjectiveRegistry: Sendable {
    private var descriptors: [String: ObjectiveDescriptor] = [:]

    public init() {}

    /// Every registered name, sorted.
    public var names: [String] { descriptors.keys.sorted() }

    public func descriptor(named name: String) -> ObjectiveDescriptor? { descriptors[name] }

    /// Adds or replaces an objective (a plugin's objective registers the same way).
    public mutating func register(_ descriptor: ObjectiveDescriptor) {
        descriptors[descriptor.name] = descriptor
    }

    /// Checks `parameters` against the descriptor (unknown names, ranges), fills in defaults, and builds.
    public func make(_ name: String, parameters: [String: Double] = [:]) throws -> RegisteredObjective {
        guard let descriptor = descriptors[name] else {
            throw ObjectiveError.unknownObjective(name: name, known: names)
        }
        let known = descriptor.parameters.map(\.name)
        for key in parameters.keys.sorted() where !known.contains(key) {
            throw ObjectiveError.unknownParameter(objective: name, parameter: key, known: known)
        }
        var complete: [String: Double] = [:]
        for parameter in descriptor.parameters {
            let value = parameters[parameter.name] ?? parameter.defaultValue
            if !parameter.accepts(value) {
                throw ObjectiveError.parameterOutOfRange(objective: name, parameter: parameter.name, value: value, allowed: parameter.allowed)
            }
            complete[parameter.name] = value
        }
        return try descriptor.make(complete)
    }

    public func makeTokenObjective(_ name: String, parameters: [String: Double] = [:]) throws -> any TokenObjective {
        guard case .token(let objective) = try make(name, parameters: parameters) else {
            throw ObjectiveError.wrongLevel(name: name, level: descriptors[name]!.level.rawValue, expected: "token")
        }
        return objective
    }

    public func makeSequenceObjective(_ name: String, parameters: [String: Double] = [:]) throws -> any SequenceObjective {
        guard case .sequence(let objective) = try make(name, parameters: parameters) else {
            throw ObjectiveError.wrongLevel(name: name, level: descriptors[name]!.level.rawValue, expected: "sequence")
        }
        return objective
    }

    public func makeFeatureObjective(_ name: String, parameters: [String: Double] = [:]) throws -> any FeatureObjective {
        guard case .feature(let objective) = try make(name, parameters: parameters) else {
            throw ObjectiveError.wrongLevel(name: name, level: descriptors[name]!.level.rawValue, expected: "feature")
        }
        return objective
    }

    /// One part of a recipe's objective list.
    public struct MixturePart: Sendable {
        public var name: String
        public var weight: Double
        public var parameters: [String: Double]

        public init(name: String, weight: Double, parameters: [String: Double] = [:]) {
            self.name = name
            self.weight = weight
            self.parameters = parameters
        }
    }

    /// A token-level mixture such as [sft × 0.5, reverse-kl × 0.5].
    public func makeTokenMixture(_ parts: [MixturePart]) throws -> TokenObjectiveMixture {
        try TokenObjectiveMixture(parts.map {
            TokenObjectiveMixture.Part(weight: $0.weight, objective: try makeTokenObjective($0.name, parameters: $0.parameters))
        })
    }

    /// A sequence-level mixture such as [dpo × 1, rrhf × 0.1].
    public func makeSequenceMixture(_ parts: [MixturePart]) throws -> SequenceObjectiveMixture {
        try SequenceObjectiveMixture(parts.map {
            SequenceObjectiveMixture.Part(weight: $0.weight, objective: try makeSequenceObjective($0.name, parameters: $0.parameters))
        })
    }
}

extension ObjectiveRegistry {
    /// Every built-in objective of this folder.
    public static let builtIn: ObjectiveRegistry = {
        var registry = ObjectiveRegistry()
        let jsdBeta = ObjectiveParameter.range("beta", default: 0.5, 0...1)
        func token(_ name: String, _ summary: String, _ parameters: [ObjectiveParameter] = [],
                   _ make: @escaping @Sendable ([String: Double]) throws -> any TokenObjective) {
            registry.register(ObjectiveDescriptor(name: name, level: .token, summary: summary, parameters: parameters) {
                .token(try make($0))
            })
        }
        func sequence(_ name: String, _ summary: String, _ parameters: [ObjectiveParameter] = [],
                      _ make: @escaping @Sendable ([String: Double]) throws -> any SequenceObjective) {
            registry.register(ObjectiveDescriptor(name: name, level: .sequence, summary: summary, parameters: parameters) {
                .sequence(try make($0))
            })
        }
        func feature(_ name: String, _ summary: String, _ parameters: [ObjectiveParameter] = [],
                     _ make: @escaping @Sendable ([String: Double]) throws -> any FeatureObjective) {
            registry.register(ObjectiveDescriptor(name: name, level: .feature, summary: summary, parameters: parameters) {
                .feature(try make($0))
            })
        }
        let skewAlpha = ObjectiveParameter(name: "alpha", defaultValue: 0.1, allowed: "in [0, 1)") { $0.isFinite && $0 >= 0 && $0 < 1 }

        token("sft", "cross-entropy on the teacher's text (SFT / SeqKD)") { _ in TeacherTextCrossEntropy() }
        token("forward-kl", "KL(p_T ‖ p_S), mode-covering") { _ in ForwardKL() }
        token("reverse-kl", "KL(p_S ‖ p_T), mode-seeking (MiniLLM)") { _ in ReverseKL() }
        token("jsd", "generalized JSD(β) of GKD, scaled by 1/(β(1−β))", [jsdBeta]) { try GeneralizedJSD(beta: $0["beta"]!) }
        token("tvd", "total variation distance") { _ in TotalVariationDistance() }
        token("skew-forward-kl", "KL(p_T ‖ α p_T + (1−α) p_S) (DistiLLM)", [skewAlpha]) { try SkewForwardKL(alpha: $0["alpha"]!) }
        token("skew-reverse-kl", "KL(p_S ‖ (1−α) p_T + α p_S) (DistiLLM)", [skewAlpha]) { try SkewReverseKL(alpha: $0["alpha"]!) }

        sequence("bradley-terry", "reward-model loss −log σ(r_w − r_l)") { _ in BradleyTerryRewardModel() }
        sequence("dpo", "direct preference optimization", [.positive("beta", default: 0.1)]) {
            try DirectPreferenceOptimization(beta: $0["beta"]!)
        }
        sequence("rrhf", "ranking hinge loss plus SFT on the best answer", [.nonNegative("sft_weight", default: 1)]) {
            try RankResponsesHumanFeedback(sftWeight: $0["sft_weight"]!)
        }
        sequence("pro", "preference ranking optimization (list-wise softmax)", [.nonNegative("sft_weight", default: 0.05)]) {
            try PreferenceRankingOptimization(sftWeight: $0["sft_weight"]!)
        }
        sequence("policy-gradient", "REINFORCE with group baseline, KL penalty, optional PPO clipping", [
            .nonNegative("kl_coef", default: 0.05),
            ObjectiveParameter(name: "clip_epsilon", defaultValue: 0.2, allowed: "in (0, 1)") { $0.isFinite && $0 > 0 && $0 < 1 },
        ]) {
            try PolicyGradient(klCoefficient: $0["kl_coef"]!, clipEpsilon: $0["clip_epsilon"]!)
        }

        feature("mse", "mean squared error between hidden states") { _ in HiddenStateMSE() }
        feature("l1", "mean absolute error between hidden states") { _ in HiddenStateL1() }
        feature("cosine", "1 − cosine similarity between hidden states") { _ in CosineDistance() }
        feature("mmd", "Gaussian-kernel maximum mean discrepancy", [.positive("bandwidth", default: 1)]) {
            try MaximumMeanDiscrepancy(bandwidth: $0["bandwidth"]!)
        }
        return registry
    }()
}

extension ObjectiveParameter {
    static func range(_ name: String, default value: Double, _ range: ClosedRange<Double>) -> ObjectiveParameter {
        ObjectiveParameter(name: name, defaultValue: value, allowed: "in [\(range.lowerBound), \(range.upperBound)]") {
            $0.isFinite && range.contains($0)
        }
    }

    static func positive(_ name: String, default value: Double) -> ObjectiveParameter {
        ObjectiveParameter(name: name, defaultValue: value, allowed: "finite and > 0") { $0.isFinite && $0 > 0 }
    }

    static func nonNegative(_ name: String, default value: Double) -> ObjectiveParameter {
        ObjectiveParameter(name: name, defaultValue: value, allowed: "finite and >= 0") { $0.isFinite && $0 >= 0 }
    }
}
