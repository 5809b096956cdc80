// Helpers that start the loopback servers a test needs and always stop them, pass or fail.
import RetortTeachers
import RetortTestSupport

/// Runs `body` with a fresh DelayedOpenAIServer, then stops it.
func withServer<T>(delay: Double = 0, requiredAPIKey: String? = nil,
                   _ body: (DelayedOpenAIServer) async throws -> T) async throws -> T {
    let server = try await DelayedOpenAIServer.start(delay: delay, requiredAPIKey: requiredAPIKey)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Runs `body` with a DelayedOpenAIServer behind a FaultInjectingProxy playing `plan`.
func withProxy<T>(_ plan: FaultPlan, delay: Double = 0,
                  _ body: (FaultInjectingProxy, DelayedOpenAIServer) async throws -> T) async throws -> T {
    try await withServer(delay: delay) { server in
        let proxy = try await FaultInjectingProxy.start(upstream: server.baseURL, plan: plan)
        do {
            let result = try await body(proxy, server)
            await proxy.stop()
            return result
        } catch {
            await proxy.stop()
            throw error
        }
    }
}

/// An OpenAI teacher for `base` (a server's or proxy's root URL; "/v1" is appended).
func openAITeacher(_ base: String, model: String = "loopback-model", timeout: Double = 60,
                   capabilities: TeacherCapabilities = OpenAITeacherConfiguration.defaultCapabilities,
                   apiKeyVariable: String? = nil, environment: [String: String] = [:]) throws -> OpenAITeacher {
    try OpenAITeacher(OpenAITeacherConfiguration(baseURL: base + "/v1", model: model, apiKeyVariable: apiKeyVariable,
                                                 capabilities: capabilities, timeout: timeout),
                      environment: environment)
}

func userRequest(_ text: String, maxTokens: Int = 32, n: Int = 1, topLogprobs: Int? = nil) -> TeacherRequest {
    TeacherRequest(messages: [ChatMessage(role: "user", text: text)], maxTokens: maxTokens, n: n, topLogprobs: topLogprobs)
}

/// The TeacherError a call threw, or nil when it succeeded or threw something else.
func teacherError(_ call: () async throws -> some Any) async -> TeacherError? {
    do {
        _ = try await call()
        return nil
    } catch {
        return error as? TeacherError
    }
}

extension TeacherError {
    /// The case's name, for tests that check which kind of error was thrown.
    var kind: String {
        switch self {
        case .invalidRequest: "invalidRequest"
        case .http: "http"
        case .timeout: "timeout"
        case .transport: "transport"
        case .malformedResponse: "malformedResponse"
        case .missingAPIKey: "missingAPIKey"
        case .unsupported: "unsupported"
        case .retriesExhausted: "retriesExhausted"
        }
    }
}
