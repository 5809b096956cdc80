// A teacher behind the Anthropic Messages API. The API returns one completion per call, so a
// request for n completions makes n calls, one after another, and sums their usage; a failure in
// any of them fails the request (a retry then repeats all n).
import AsyncHTTPClient
import Foundation

public struct AnthropicTeacher: Teacher {
    public let configuration: AnthropicTeacherConfiguration
    public let identity: TeacherIdentity
    public var capabilities: TeacherCapabilities { configuration.capabilities }
    private let apiKey: APIKey?
    private let client: HTTPClient

    /// Reads the API key now (`TeacherError.missingAPIKey` when its variable is unset).
    public init(_ configuration: AnthropicTeacherConfiguration,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                client: HTTPClient = TeacherHTTPClient.shared) throws(TeacherError) {
        let endpoint = try TeacherEndpoint.normalize(configuration.baseURL)
        self.configuration = configuration
        self.identity = TeacherIdentity(backend: "anthropic", model: configuration.model, endpoint: endpoint)
        self.apiKey = try configuration.apiKeyVariable.map { variable throws(TeacherError) in
            try APIKey(variable: variable, environment: environment)
        }
        self.client = client
    }

    public func complete(_ request: TeacherRequest) async throws -> TeacherResponse {
        try request.validate()
        // Checked before the capabilities so the message names the API's limit, not the config's.
        let body = try AnthropicMessagesRequest.body(for: request, model: configuration.model)
        try capabilities.check(request, teacher: identity)
        do {
            var choices: [TeacherChoice] = []
            var usage = TokenUsage.zero
            var model = configuration.model
            for _ in 0..<request.n {
                let one = try await send(body)
                choices += one.choices
                usage = usage + one.usage
                model = one.model
            }
            return TeacherResponse(choices: choices, usage: usage, model: model)
        } catch let error as TeacherError {
            throw error.redacted(by: apiKey)
        }
    }

    private func send(_ body: String) async throws -> TeacherResponse {
        var headers = [("anthropic-version", configuration.apiVersion)]
        if let apiKey { headers.append(("x-api-key", apiKey.secret)) }
        let reply = try await JSONPost.send(body, to: identity.endpoint! + "/v1/messages", headers: headers,
                                            timeout: configuration.timeout, client: client)
        guard reply.isSuccess else {
            throw TeacherError.http(status: reply.status, message: ServerErrorMessage.extract(from: reply.body),
                                    retryAfter: RetryAfter.seconds(headers: reply.headers))
        }
        return try AnthropicMessagesResponse.parse(reply.body, fallbackModel: configuration.model)
    }
}
