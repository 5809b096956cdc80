// Builds the recipe's teacher: the backend, wrapped in the request policy (limits, retries) and
// then in the run store's call cache, so a cached answer costs nothing and waits for no limit.
import Foundation
import RetortModels
import RetortTeachers

public struct BuiltTeacher: Sendable {
    /// What strategies call: cache → policy → backend.
    public let teacher: any Teacher
    /// The in-process model when the backend is local (white-box scoring, `retort serve`).
    public let local: LocalTeacher?
    public let accounting: TeacherAccounting
}

public enum TeacherFactory {
    /// `loadedModel`: the local teacher's model when the caller has it in memory already.
    public static func build(_ spec: TeacherSpec, cache: any TeacherCallCache, modelsDirectory: String?,
                             environment: [String: String], loadedModel: LocalLanguageModel? = nil) throws -> BuiltTeacher {
        let backend: any Teacher
        var local: LocalTeacher?
        switch spec.backend {
        case .local:
            let loaded = try loadedModel.map { model in
                // Named as when loaded from its file, so calls cache under the same teacher.
                let path = try ModelStore.resolve(spec.model, directory: ModelStore.directory(explicit: modelsDirectory))
                return LocalTeacher(model: model, name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
            } ?? loadLocalTeacher(spec.model, modelsDirectory: modelsDirectory)
            local = loaded
            backend = loaded
        case .openai:
            var configuration = OpenAITeacherConfiguration(baseURL: spec.baseURL!, model: spec.model, apiKeyVariable: spec.apiKeyEnv,
                                                           timeout: spec.timeoutSeconds)
            if let k = spec.maxTopLogprobs { configuration.capabilities.maxTopLogprobs = k }
            if let v = spec.vision { configuration.capabilities.vision = v }
            backend = try OpenAITeacher(configuration, environment: environment)
        case .anthropic:
            var configuration = AnthropicTeacherConfiguration(model: spec.model, apiKeyVariable: spec.apiKeyEnv, timeout: spec.timeoutSeconds)
            if let base = spec.baseURL { configuration.baseURL = base }
            if let v = spec.vision { configuration.capabilities.vision = v }
            backend = try AnthropicTeacher(configuration, environment: environment)
        }
        let accounting = TeacherAccounting(pricing: TeacherPricing(inputPerMillion: spec.inputPricePerMillion,
                                                                   outputPerMillion: spec.outputPricePerMillion))
        let policy = try RequestPolicy(
            wrapping: backend,
            configuration: RequestPolicyConfiguration(maxConcurrent: spec.concurrency, requestsPerMinute: spec.requestsPerMinute,
                                                      tokensPerMinute: spec.tokensPerMinute, maxAttempts: spec.maxAttempts),
            accounting: accounting)
        return BuiltTeacher(teacher: CachedTeacher(wrapping: policy, cache: cache, accounting: accounting), local: local,
                            accounting: accounting)
    }

    /// An in-process model by alias, .gguf path or Hugging Face folder.
    public static func loadLocalTeacher(_ model: String, modelsDirectory: String?) throws -> LocalTeacher {
        let path = try ModelStore.resolve(model, directory: ModelStore.directory(explicit: modelsDirectory))
        return try LocalTeacher(modelPath: path)
    }
}
