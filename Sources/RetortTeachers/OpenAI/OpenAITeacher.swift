// A teacher behind any OpenAI-compatible chat-completions server. One call is one POST; retries,
// rate limits and caching are the wrappers' job (RequestPolicy, CachedTeacher).
import AsyncHTTPClient
import Foundation

public struct OpenAITeacher: Teacher {
    public let configuration: OpenAITeacherConfiguration
    public let identity: TeacherIdentity
    public var capabilities: TeacherCapabilities { configuration.capabilities }
    private let apiKey: APIKey?
    private let client: HTTPClient

    /// Reads the API key now, so a missing one is reported before any work starts
    /// (`TeacherError.missingAPIKey`); a bad base URL is `.invalidRequest`.
    public init(_ configuration: OpenAITeacherConfiguration,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                client: HTTPClient = TeacherHTTPClient.shared) throws(TeacherError) {
        let endpoint = try TeacherEndpoint.normalize(configuration.baseURL)
        self.configuration = configuration
        self.identity = TeacherIdentity(backend: "openai", model: configuration.model, endpoint: endpoint)
        self.apiKey = try configuration.apiKeyVariable.map { variable throws(TeacherError) in
            try APIKey(variable: variable, environment: environment)
        }
        self.client = client
    }

    public func complete(_ request: TeacherRequest) async throws -> TeacherResponse {
        try request.validate()
        try capabilities.check(request, teacher: identity)
        do {
            return try await send(request)
        } catch let error as TeacherError {
            throw error.redacted(by: apiKey)
        }
    }

    private func send(_ request: TeacherRequest) async throws -> TeacherResponse {
        let url = identity.endpoint! + "/chat/completions"
        let headers = apiKey.map { [("authorization", "Bearer \($0.secret)")] } ?? []
        let reply = try await JSONPost.send(OpenAIChatRequest.body(for: request, model: configuration.model), to: url,
                                            headers: headers, timeout: configuration.timeout, client: client)
        guard reply.isSuccess else {
            throw TeacherError.http(status: reply.status, message: ServerErrorMessage.extract(from: reply.body),
                                    retryAfter: RetryAfter.seconds(headers: reply.headers))
        }
        let response = try OpenAIChatResponse.parse(reply.body, fallbackModel: configuration.model)
        if response.choices.isEmpty {
            throw TeacherError.malformedResponse("\(url) answered with an empty \"choices\" list")
        }
        if response.choices.count != request.n {
            throw TeacherError.unsupported(
                "asked \(identity.description) for n=\(request.n) completions and got \(response.choices.count); this server does not honour n, ask for n=1 and repeat the call")
        }
        return response
    }
}
