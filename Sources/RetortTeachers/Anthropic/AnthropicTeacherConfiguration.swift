// How to reach the Anthropic Messages API, as a recipe's teacher block says it.

public struct AnthropicTeacherConfiguration: Sendable, Hashable {
    /// Requests go to `{baseURL}/v1/messages`.
    public var baseURL: String
    public var model: String
    /// The environment variable holding the key (sent as `x-api-key`); nil only for a gateway that
    /// adds the key itself.
    public var apiKeyVariable: String?
    public var capabilities: TeacherCapabilities
    /// Seconds one HTTP exchange may take, answer included.
    public var timeout: Double
    /// The `anthropic-version` header.
    public var apiVersion: String

    public init(baseURL: String = "https://api.anthropic.com", model: String,
                apiKeyVariable: String? = "ANTHROPIC_API_KEY",
                capabilities: TeacherCapabilities = AnthropicTeacherConfiguration.defaultCapabilities,
                timeout: Double = 300, apiVersion: String = "2023-06-01") {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        self.capabilities = capabilities
        self.timeout = timeout
        self.apiVersion = apiVersion
    }

    /// Claude models read images and have a 200k-token context; the API gives no log-probabilities.
    public static let defaultCapabilities = TeacherCapabilities(
        fullDistributions: false, hiddenStates: false, maxTopLogprobs: 0, vision: true, maxContext: 200_000)
}
