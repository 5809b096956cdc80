// How to reach an OpenAI-compatible chat-completions server, as a recipe's teacher block says it:
// OpenAI itself, vLLM, the llama.cpp server, Ollama, LM Studio or `retort serve`.

public struct OpenAITeacherConfiguration: Sendable, Hashable {
    /// The base URL including the API version prefix, e.g. "https://api.openai.com/v1",
    /// "http://localhost:8000/v1" (vLLM), "http://localhost:11434/v1" (Ollama). Requests go to
    /// `{baseURL}/chat/completions`.
    public var baseURL: String
    public var model: String
    /// The environment variable holding the key (sent as `Authorization: Bearer …`); nil for local
    /// servers that need none.
    public var apiKeyVariable: String?
    /// What the model can do; requests beyond it are refused before they are sent.
    public var capabilities: TeacherCapabilities
    /// Seconds one HTTP exchange may take, answer included; the request policy retries after it.
    public var timeout: Double

    public init(baseURL: String = "https://api.openai.com/v1", model: String, apiKeyVariable: String? = nil,
                capabilities: TeacherCapabilities = OpenAITeacherConfiguration.defaultCapabilities,
                timeout: Double = 120) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        self.capabilities = capabilities
        self.timeout = timeout
    }

    /// Text in, text and up to 20 top log-probabilities out (OpenAI's limit, which vLLM and the
    /// llama.cpp server also accept); images only when declared.
    public static let defaultCapabilities = TeacherCapabilities(
        fullDistributions: false, hiddenStates: false, maxTopLogprobs: 20, vision: false, maxContext: 8192)
}
