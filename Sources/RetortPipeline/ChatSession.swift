// `retort chat`: a conversation with a local model. Each turn renders the whole history with the
// model's chat template and streams the reply.
import RetortJSON
import RetortModels

public final class ChatSession {
    public let model: LocalLanguageModel
    public private(set) var messages: [JSONValue] = []
    /// Checked when a reply is generated.
    public var sampling = SamplingParameters()
    public var maxTokens: Int

    public init(model name: String, modelsDirectory: String?, system: String?, maxTokens: Int) throws {
        let path = try ModelStore.resolve(name, directory: ModelStore.directory(explicit: modelsDirectory))
        model = try LocalLanguageModel(modelPath: path)
        guard model.chatTemplate != nil else {
            throw ModelStoreError(message: "\(path) has no chat template; use `retort generate` with a plain prompt")
        }
        self.maxTokens = maxTokens
        if let system { messages.append(["role": "system", "content": .string(system)]) }
    }

    /// Adds the user's message, generates the reply (streamed to `onText`) and adds it too.
    public func send(_ text: String, onText: (String) -> Void) throws -> GenerationResult {
        messages.append(["role": "user", "content": .string(text)])
        let prompt = try model.chatPrompt(messages)
        let result = try model.generate(prompt: prompt, maxTokens: maxTokens, sampling: sampling, onText: onText)
        messages.append(["role": "assistant", "content": .string(result.text)])
        return result
    }
}
