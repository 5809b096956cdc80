// `retort generate`: resolve a model name, render the prompt (optionally with the model's chat
// template) and generate with the local model.
import RetortJSON
import RetortModels

public struct GenerationRequest: Sendable {
    public var model: String
    public var prompt: String
    public var system: String?
    public var chat = false
    public var maxTokens = 128
    public var sampling = SamplingParameters()
    public var stop: [String] = []
    public var modelsDirectory: String?

    public init(model: String, prompt: String) {
        self.model = model
        self.prompt = prompt
    }
}

public enum LocalGeneration {
    public static func run(_ request: GenerationRequest, onText: (String) -> Void = { _ in }) throws -> GenerationResult {
        try request.sampling.validate()
        guard request.maxTokens > 0 else { throw ModelStoreError(message: "--max-tokens must be at least 1") }
        let path = try ModelStore.resolve(request.model, directory: ModelStore.directory(explicit: request.modelsDirectory))
        let model = try LocalLanguageModel(modelPath: path)
        var prompt = request.prompt
        if request.chat {
            var messages: [JSONValue] = []
            if let system = request.system { messages.append(["role": "system", "content": .string(system)]) }
            messages.append(["role": "user", "content": .string(request.prompt)])
            prompt = try model.chatPrompt(messages)
        }
        return try model.generate(prompt: prompt, maxTokens: request.maxTokens, sampling: request.sampling,
                                  stopStrings: request.stop, onText: onText)
    }
}
