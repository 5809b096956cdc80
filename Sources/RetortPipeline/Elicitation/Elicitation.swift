// `retort elicit`: runs a recipe's knowledge stages against its teacher, into a run folder whose
// SQLite store makes the run resumable — running the same command again skips committed units
// and answers repeated teacher calls from the cache.
import Foundation
import RetortHost
import RetortKnowledge
import RetortModels
import RetortTeachers

public struct ElicitationOptions: Sendable {
    public var recipePath: String
    /// Default: runs/<recipe name> in the current folder.
    public var runDirectory: String?
    /// Run only this stage (earlier stages it reads must already be in the run).
    public var stage: String?
    public var modelsDirectory: String?
    public var pluginPath: [String] = []
    public var progress: ProgressDisplay.Mode = .bar
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init(recipePath: String) { self.recipePath = recipePath }
}

public struct ElicitationResult: Sendable {
    public var runDirectory: String
    public var reports: [StageReport]
    public var accounting: TeacherAccountingSnapshot
}

public struct ElicitationError: Error, LocalizedError, Sendable {
    public let message: String
    public var errorDescription: String? { message }
}

public enum Elicitation {
    public static func run(_ options: ElicitationOptions) async throws -> ElicitationResult {
        let recipe = try Recipe.load(path: options.recipePath)
        if let only = options.stage, !recipe.knowledge.contains(where: { $0.name == only }) {
            throw ElicitationError(message: "\(options.recipePath): no knowledge stage named \"\(only)\"; stages: \(recipe.knowledge.map(\.name).joined(separator: ", "))")
        }
        let runDirectory = options.runDirectory ?? "runs/\(recipe.name)"
        let store = try RunStore(runDirectory: runDirectory)
        try checkSameRecipe(recipe, store: store, runDirectory: runDirectory)

        let registry = try loadPlugins(recipe, extraPath: options.pluginPath, environment: options.environment)
        let built = try TeacherFactory.build(recipe.teacher, cache: store, modelsDirectory: options.modelsDirectory,
                                             environment: options.environment)
        let accounting = built.accounting
        let display = ProgressDisplay(mode: options.progress) {
            let s = accounting.snapshot
            return ProgressDisplay.Spend(tokens: s.totalTokens, cost: s.cost)
        }
        let context = ElicitationContext(teacher: built.teacher, sink: store, registry: registry, progress: display.update)
        let models = LocalModels(teacher: built.local, modelsDirectory: options.modelsDirectory)
        var reports: [StageReport] = []
        for spec in recipe.knowledge where options.stage == nil || options.stage == spec.name {
            reports.append(try await StageDispatch.run(spec, context: context, models: models.stageModels))
        }
        return ElicitationResult(runDirectory: runDirectory, reports: reports, accounting: accounting.snapshot)
    }

    /// A run folder belongs to one recipe: resuming it with a changed recipe would mix two runs.
    static func checkSameRecipe(_ recipe: Recipe, store: RunStore, runDirectory: String) throws {
        if let stored = try store.meta(RunStore.MetaKey.recipe) {
            guard stored == recipe.text else {
                throw ElicitationError(message: "\(runDirectory) holds a run of a different version of \(recipe.file); resume it with the recipe it was started with (saved in the run store), or pass a new --run-dir")
            }
        } else {
            try store.setMeta(RunStore.MetaKey.recipe, recipe.text)
            try store.setMeta(RunStore.MetaKey.retortVersion, RetortVersion.full)
        }
    }

    static func loadPlugins(_ recipe: Recipe, extraPath: [String], environment: [String: String]) throws -> PluginRegistry {
        let registry = PluginRegistry()
        registry.load(searchPath: recipe.pluginPath + PluginDiscovery.searchPath(explicit: extraPath, environment: environment))
        for id in recipe.plugins where (try? registry.plugin(id: id)) == nil {
            let problems = registry.failures.map(\.localizedDescription).joined(separator: "; ")
            throw ElicitationError(message: "\(recipe.file): plugin \"\(id)\" was not found; loaded: \(registry.plugins.map(\.id).joined(separator: ", "))"
                + (problems.isEmpty ? "" : "; load failures: \(problems)") + ". Pass --plugin-path or set RETORT_PLUGIN_PATH.")
        }
        return registry
    }
}

/// One in-process model per name for a run: the local teacher is reused when a stage names it.
final class LocalModels: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: [String: LocalTeacher] = [:]
    private let teacher: LocalTeacher?
    private let modelsDirectory: String?

    init(teacher: LocalTeacher?, modelsDirectory: String?) {
        self.teacher = teacher
        self.modelsDirectory = modelsDirectory
    }

    func get(_ name: String) throws -> LocalTeacher {
        try lock.withLock {
            if let model = loaded[name] { return model }
            // A stage naming the teacher's own model (a self-knowledge student, a tokenizer) shares
            // the loaded teacher instead of loading the file a second time. Local teachers are
            // named by their file (as the call cache knows them), so the name decides.
            let path = try ModelStore.resolve(name, directory: ModelStore.directory(explicit: modelsDirectory))
            let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let model = try teacher.flatMap { $0.identity.model == fileName ? $0 : nil }
                ?? TeacherFactory.loadLocalTeacher(path, modelsDirectory: modelsDirectory)
            loaded[name] = model
            return model
        }
    }

    var stageModels: StageModels {
        StageModels(localTeacher: { try self.get($0) }, whiteBoxTeacher: teacher, tokenizer: { try self.get($0).tokenizer })
    }
}
