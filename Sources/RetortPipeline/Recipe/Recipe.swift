// A recipe: the whole run in one YAML file — the teacher, the plugins, the knowledge stages that
// elicit data, the student, the distill stages that train it, and its evaluation.
import Foundation

public struct Recipe: Sendable {
    public var file: String
    /// The YAML text as read (stored in the run so a run says what produced it).
    public var text: String
    public var name: String
    public var seed: UInt64
    public var teacher: TeacherSpec
    public var plugins: [String]
    /// Folders to look for plugins in before the default search path.
    public var pluginPath: [String]
    public var knowledge: [KnowledgeStageSpec]
    /// nil: the recipe only elicits data (`retort elicit`).
    public var student: StudentSpec?
    public var distill: [DistillStageSpec]
    public var evaluate: EvaluateSpec
    /// What the run writes of the trained student (only read when there is a student).
    public var export: ExportSpec

    static let topLevel: Set<String> = [
        "name", "description", "seed", "teacher", "plugins", "plugin_path", "knowledge", "student", "distill", "evaluate", "export",
    ]

    public static func load(path: String) throws(RecipeError) -> Recipe {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecipeError(file: path, line: nil, column: nil, field: "", message: "cannot read the recipe file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RecipeError(file: path, line: nil, column: nil, field: "", message: "the recipe is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(RecipeError) -> Recipe {
        let root = try RecipeNode.parse(text, file: file)
        let f = try root.mapping(allowed: topLevel)
        let name = try f.optionalString("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let seed = UInt64(try f.int("seed", default: 1, in: 0...Int.max))
        let teacher = try TeacherSpec.decode(try f.required("teacher"))
        let plugins = try f.strings("plugins")
        let pluginPath = try f.strings("plugin_path").map { relative in
            relative.hasPrefix("/") ? relative : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(relative).path
        }
        var stages: [KnowledgeStageSpec] = []
        if let knowledge = f["knowledge"] {
            for node in try knowledge.list() {
                let stage = try KnowledgeStageSpec.decode(node, defaultPlugin: plugins.first, seed: seed,
                                                          teacherConcurrency: teacher.concurrency)
                if stages.contains(where: { $0.name == stage.name }) {
                    throw try node.mapping(allowed: Set(KnowledgeStageSpec.common).union(KnowledgeStageSpec.specific.values.flatMap { $0 }))
                        .required("name").error("another stage is already named \"\(stage.name)\"")
                }
                for read in stage.readsStages where !stages.contains(where: { $0.name == read }) {
                    throw node.error("reads stage \"\(read)\", which is not an earlier stage of this recipe")
                }
                if !plugins.isEmpty, !plugins.contains(stage.settings.plugin) {
                    throw node.error("uses plugin \"\(stage.settings.plugin)\", which is not in the recipe's `plugins` list")
                }
                stages.append(stage)
            }
        }
        let student = try f["student"].map { node throws(RecipeError) in try StudentSpec.decode(node) }
        var distill: [DistillStageSpec] = []
        if let node = f["distill"] {
            for (index, item) in try node.list().enumerated() {
                let stage = try DistillStageSpec.decode(item, index: index)
                if distill.contains(where: { $0.name == stage.name }) || stages.contains(where: { $0.name == stage.name }) {
                    throw item.error("another stage is already named \"\(stage.name)\"")
                }
                for read in stage.data where !stages.contains(where: { $0.name == read }) {
                    throw item.error("trains on stage \"\(read)\", which is not a knowledge stage of this recipe")
                }
                if case .stage(let start) = stage.start, !distill.contains(where: { $0.name == start }) {
                    let earlier = distill.map(\.name)
                    throw try item.mapping(allowed: DistillStageSpec.fields).required("from").error(
                        "starts from stage \"\(start)\", which is not an earlier distill stage; "
                            + (earlier.isEmpty ? "this is the first one, so use initial" : "use initial, previous or one of: \(earlier.joined(separator: ", "))"))
                }
                let fields = try item.mapping(allowed: DistillStageSpec.fields)
                if case .stage(let start) = stage.start, distill.first(where: { $0.name == start })?.trainsRewardModel == true {
                    throw try fields.required("from").error("starts from stage \"\(start)\", which trains a reward model, not the student")
                }
                if let rewardStage = stage.rollouts?.rewardStage, distill.first(where: { $0.name == rewardStage })?.trainsRewardModel != true {
                    let models = distill.filter(\.trainsRewardModel).map(\.name)
                    throw try fields.required("rollouts").mapping(allowed: DistillStageSpec.rolloutFields).required("reward").error(
                        "names stage \"\(rewardStage)\", which is not an earlier stage training a reward model (objectives: [bradley-terry])"
                            + (models.isEmpty ? "" : "; earlier ones: \(models.joined(separator: ", "))"))
                }
                distill.append(stage)
            }
            if student == nil, !distill.isEmpty { throw node.error("distill stages need a `student` block saying what to train") }
        }
        let evaluate = try f["evaluate"].map { node throws(RecipeError) in try EvaluateSpec.decode(node, plugins: plugins) } ?? .defaults
        if evaluate.judge?.method == .logprobs, teacher.backend != .local, let node = f["evaluate"] {
            throw node.error("judge.method logprobs reads a white-box teacher's probabilities; this teacher is \(teacher.backend.rawValue): use method: text (or auto)")
        }
        let export = try f["export"].map { node throws(RecipeError) in try ExportSpec.decode(node) } ?? .defaults
        if let node = f["export"], student == nil { throw node.error("there is no `student` block, so nothing to export") }
        return Recipe(file: file, text: text, name: name, seed: seed, teacher: teacher, plugins: plugins, pluginPath: pluginPath,
                      knowledge: stages, student: student, distill: distill, evaluate: evaluate, export: export)
    }
}
