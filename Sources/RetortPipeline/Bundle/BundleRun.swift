// `retort bundle run <bundle> --prompt …`: answers a prompt with the bundled student, rendered with
// the student's own chat template, after loading the bundled plugins from the bundle's plugin
// folder. The student and the plugins are checked against the manifest first, so a changed file is
// never loaded.
import Foundation
import RetortHost
import RetortJSON
import RetortModels

public struct BundleRunRequest: Sendable {
    public var bundle: String
    public var prompt: String
    public var system: String?
    public var maxTokens = 128
    public var sampling = SamplingParameters()

    public init(bundle: String, prompt: String) {
        self.bundle = bundle
        self.prompt = prompt
    }
}

public struct BundleAnswer: Sendable {
    public let text: String
    public let finishReason: GenerationResult.FinishReason
    public let student: String
    /// The bundled plugins that loaded.
    public let plugins: [String]
}

extension RunBundle {
    public static func run(_ request: BundleRunRequest, onText: (String) -> Void = { _ in }) throws -> BundleAnswer {
        try request.sampling.validate()
        guard request.maxTokens > 0 else { throw BundleError("--max-tokens must be at least 1") }
        let contents = try BundleContents(request.bundle)
        defer { contents.close() }
        let manifest = try BundleManifest.read(folder: contents.folder, bundle: request.bundle)
        let (problems, intact) = try checkFiles(manifest, contents: contents)
        for needed in [manifest.student] + manifest.plugins.map(\.file) where !intact.contains(needed) {
            let problem = problems.first { $0.file == needed }?.problem ?? "is not listed in the manifest"
            throw BundleError("\(request.bundle): \(needed) \(problem); run `retort bundle verify \(request.bundle)`")
        }

        let registry = PluginRegistry()
        registry.load(searchPath: [contents.folder + "/" + pluginFolder])
        for plugin in manifest.plugins where (try? registry.plugin(id: plugin.id)) == nil {
            let failures = registry.failures.map(\.localizedDescription).joined(separator: "; ")
            throw BundleError("\(request.bundle): the bundled plugin \(plugin.id) (\(plugin.file)) did not load" + (failures.isEmpty ? "" : ": \(failures)"))
        }
        defer { registry.shutdown() }

        let model = try LocalLanguageModel(ggufPath: contents.folder + "/" + manifest.student)
        var messages: [JSONValue] = []
        if let system = request.system { messages.append(["role": "system", "content": .string(system)]) }
        messages.append(["role": "user", "content": .string(request.prompt)])
        let prompt = try model.chatPrompt(messages)
        let result = try model.generate(prompt: prompt, maxTokens: request.maxTokens, sampling: request.sampling, onText: onText)
        return BundleAnswer(text: result.text, finishReason: result.finishReason, student: manifest.student,
                            plugins: registry.plugins.map(\.id))
    }
}
