// Runs one knowledge stage of a recipe: resolves what needs a loaded model (the self-knowledge
// student, the white-box teacher for features, the tokenizer an API teacher's tokens map to) and
// hands the settings to the strategy.
import RetortKnowledge
import RetortModels
import RetortTeachers

/// Loads models by name for stages that need one; the run keeps one instance per model.
public struct StageModels: Sendable {
    /// The in-process model behind `name` as a teacher (for a student, or white-box scoring).
    public var localTeacher: @Sendable (String) async throws -> any WhiteBoxTeacher
    /// The teacher of the recipe when it runs in-process (white-box), else nil.
    public var whiteBoxTeacher: (any WhiteBoxTeacher)?
    public var tokenizer: @Sendable (String) async throws -> BPETokenizer

    public init(localTeacher: @escaping @Sendable (String) async throws -> any WhiteBoxTeacher,
                whiteBoxTeacher: (any WhiteBoxTeacher)?,
                tokenizer: @escaping @Sendable (String) async throws -> BPETokenizer) {
        self.localTeacher = localTeacher
        self.whiteBoxTeacher = whiteBoxTeacher
        self.tokenizer = tokenizer
    }
}

public enum StageDispatch {
    public static func run(_ spec: KnowledgeStageSpec, context: ElicitationContext, models: StageModels) async throws -> StageReport {
        switch spec.plan {
        case .labeling(let s): return try await Labeling.run(s, context: context)
        case .selfInstruct(let s): return try await SelfInstruct.run(s, context: context)
        case .evolInstruct(let s): return try await EvolInstruct.run(s, context: context)
        case .curation(let s): return try await Curation.run(s, context: context)
        case .feedback(let s): return try await Feedback.run(s, context: context)
        case .feature(var s, let tokenizerModel):
            s.whiteBox = models.whiteBoxTeacher
            if s.whiteBox == nil, let tokenizerModel { s.tokenizer = try await models.tokenizer(tokenizerModel) }
            return try await Feature.run(s, context: context)
        case .selfKnowledge(let plan):
            let student = try await models.localTeacher(plan.studentModel)
            var s = SelfKnowledgeSettings(stage: plan.stage, input: plan.input, student: student)
            s.samples = plan.samples
            s.selection = plan.selection
            s.thresholds = plan.thresholds
            s.rounds = plan.rounds
            if let v = plan.template { s.template = v }
            if let v = plan.answerParser { s.answerParser = v }
            if let v = plan.judgeTemplate { s.judgeTemplate = v }
            if let v = plan.judgeParser { s.judgeParser = v }
            s.filter = plan.filter
            s.limit = plan.limit
            return try await SelfKnowledge.run(s, context: context)
        case .refinement(let plan):
            var s = RefinementSettings(stage: plan.stage, input: plan.input, student: try await models.localTeacher(plan.studentModel))
            if let v = plan.attemptTemplate { s.attemptTemplate = v }
            if let v = plan.refineTemplate { s.refineTemplate = v }
            if let v = plan.parser { s.parser = v }
            if let v = plan.filter { s.filter = v }
            s.rounds = plan.rounds
            s.limit = plan.limit
            return try await Refinement.run(s, context: context)
        }
    }
}
