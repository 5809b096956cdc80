// The OpenAI-compatible backend against a real chat-completions server on loopback: what it sends,
// how it reads the answer, how it maps errors, and how it keeps the API key out of sight.
import Foundation
import RetortJSON
import RetortTeachers
import RetortTestSupport
import Testing

@Suite struct OpenAITeacherTests {
    @Test func requestBodyCarriesEveryFieldThatWasSet() async throws {
        try await withServer { server in
            var capabilities = OpenAITeacherConfiguration.defaultCapabilities
            capabilities.vision = true
            let teacher = try openAITeacher(server.baseURL, model: "gpt-test", capabilities: capabilities)
            let messages = [
                ChatMessage(role: "system", text: "Be brief."),
                ChatMessage(role: "user", parts: [.text("What is this?"), .imageURL("data:image/png;base64,iVBORw0KGgo=")]),
            ]
            let seed: UInt64 = (1 << 60) + 1  // not exact as a double: must be sent as its digits
            let request = TeacherRequest(
                messages: messages, maxTokens: 7,
                sampling: TeacherSampling(temperature: 0.5, topP: 0.9, topK: 40, minP: 0.05, repetitionPenalty: 1.1, seed: seed),
                n: 2, stop: ["END"], topLogprobs: 3)
            _ = try await teacher.complete(request)

            let sent = try #require(server.requests.first)
            #expect(sent.method == "POST" && sent.path == "/v1/chat/completions")
            #expect(sent.headers["content-type"] == "application/json")
            #expect(sent.headers["authorization"] == nil, "no key configured, none sent")
            let body = try #require(sent.json)
            #expect(body["model"] == "gpt-test")
            #expect(body["messages"] == .array(messages.map(\.json)))
            #expect(body["messages"]?.arrayValue?[1]["content"]?.arrayValue?[1]["image_url"]?["url"]
                == "data:image/png;base64,iVBORw0KGgo=")
            #expect(body["max_tokens"] == 7 && body["n"] == 2 && body["temperature"] == 0.5 && body["top_p"] == 0.9)
            #expect(body["stop"] == ["END"])
            #expect(body["logprobs"] == true && body["top_logprobs"] == 3)
            #expect(body["top_k"] == 40 && body["min_p"] == 0.05 && body["repetition_penalty"] == 1.1)
            #expect(sent.body.contains("\"seed\":1152921504606846977"))
        }
    }

    @Test func unsetOptionalFieldsAreNotSent() async throws {
        try await withServer { server in
            _ = try await openAITeacher(server.baseURL).complete(userRequest("hello"))
            let body = try #require(server.requests.first?.json?.objectValue)
            for field in ["seed", "stop", "logprobs", "top_logprobs", "top_k", "min_p", "repetition_penalty"] {
                #expect(body[field] == nil, "\(field) was sent unasked")
            }
            #expect(Set(body.keys) == ["model", "messages", "max_tokens", "temperature", "top_p", "n"])
        }
    }

    @Test func answerIsReadWithChoicesInOrderLogprobsAndUsage() async throws {
        try await withServer { server in
            let response = try await openAITeacher(server.baseURL, model: "m1")
                .complete(userRequest("one two three", n: 2, topLogprobs: 2))
            #expect(response.model == "m1")
            #expect(response.choices.map(\.text) == ["echo: one two three", "#1 echo: one two three"])
            #expect(response.choices.map(\.finishReason) == ["stop", "stop"])
            let logprobs = try #require(response.choices[0].logprobs)
            #expect(logprobs.map(\.token) == ["echo:", " one", " two", " three"])
            #expect(logprobs[1].logprob == -0.2)
            #expect(logprobs[1].top == [TopLogprob(token: " one", logprob: -0.2), TopLogprob(token: "alt1", logprob: -1.2)])
            #expect(response.usage == TokenUsage(promptTokens: 3, completionTokens: 9))
        }
    }

    @Test func maxTokensCutIsReportedAsLength() async throws {
        try await withServer { server in
            let response = try await openAITeacher(server.baseURL).complete(userRequest("a b c d e", maxTokens: 2))
            #expect(response.choices[0].text == "echo: a")
            #expect(response.choices[0].finishReason == "length")
        }
    }

    @Test func apiKeyIsSentAsBearerFromTheNamedVariable() async throws {
        try await withServer(requiredAPIKey: "sk-loopback-123") { server in
            let teacher = try openAITeacher(server.baseURL, apiKeyVariable: "RETORT_TEST_KEY",
                                            environment: ["RETORT_TEST_KEY": "sk-loopback-123\n"])
            _ = try await teacher.complete(userRequest("hi"))
            #expect(server.requests.first?.headers["authorization"] == "Bearer sk-loopback-123")
        }
    }

    @Test func apiKeyIsReadFromTheProcessEnvironmentByDefault() async throws {
        let variable = "RETORT_TEACHERS_TEST_KEY_\(UInt32.random(in: 0...UInt32.max))"
        setenv(variable, "sk-from-process-env", 1)
        defer { unsetenv(variable) }
        try await withServer(requiredAPIKey: "sk-from-process-env") { server in
            let teacher = try OpenAITeacher(OpenAITeacherConfiguration(baseURL: server.openAIBaseURL, model: "m",
                                                                       apiKeyVariable: variable))
            #expect(try await teacher.complete(userRequest("hi")).choices.count == 1)
        }
    }

    @Test func apiKeyNeverAppearsInIdentityDescriptionsOrErrors() async throws {
        let key = "sk-secret-must-not-leak-42"
        try await withServer(requiredAPIKey: "sk-the-right-one") { server in
            let teacher = try openAITeacher(server.baseURL, apiKeyVariable: "K", environment: ["K": key])
            var dumped = ""
            dump(teacher, to: &dumped)
            for text in [teacher.identity.description, "\(teacher.identity)", "\(teacher)", String(reflecting: teacher), dumped] {
                #expect(!text.contains(key), "the key leaked into: \(text)")
            }
            let error = try #require(await teacherError { try await teacher.complete(userRequest("hi")) })
            guard case .http(let status, let message, let retryAfter) = error else {
                Issue.record("expected an HTTP error, got \(error)")
                return
            }
            #expect(status == 401 && retryAfter == nil)
            #expect(message.contains("Incorrect API key provided") && message.contains("[invalid_request_error]"))
            #expect(message.contains("[redacted $K]"), "the server echoed the key; it must be scrubbed: \(message)")
            #expect(!message.contains(key) && !(error.errorDescription ?? "").contains(key))
        }
    }

    @Test func missingOrBlankKeyVariableIsReportedByName() {
        let configuration = OpenAITeacherConfiguration(baseURL: "http://127.0.0.1:9/v1", model: "m", apiKeyVariable: "NO_SUCH_KEY")
        #expect(throws: TeacherError.missingAPIKey(variable: "NO_SUCH_KEY")) {
            try OpenAITeacher(configuration, environment: [:])
        }
        #expect(throws: TeacherError.missingAPIKey(variable: "NO_SUCH_KEY")) {
            try OpenAITeacher(configuration, environment: ["NO_SUCH_KEY": "  \n"])
        }
        let message = TeacherError.missingAPIKey(variable: "NO_SUCH_KEY").errorDescription ?? ""
        #expect(message.contains("NO_SUCH_KEY") && message.contains("export"))
    }

    @Test func httpErrorsKeepStatusMessageAndRetryAfter() async throws {
        try await withProxy(.script([.status(503, retryAfter: "7")])) { proxy, _ in
            let error = await teacherError { try await openAITeacher(proxy.baseURL).complete(userRequest("hi")) }
            #expect(error == .http(status: 503, message: "injected fault: HTTP 503 [injected_fault]", retryAfter: 7))
            #expect(error?.isRetryable == true)
        }
    }

    @Test func serverValidationErrorIsNotRetryable() async throws {
        try await withProxy(.script([.status(400)])) { proxy, _ in
            let error = await teacherError { try await openAITeacher(proxy.baseURL).complete(userRequest("hi")) }
            #expect(error?.isRetryable == false)
            #expect(error?.errorDescription?.contains("HTTP 400") == true)
        }
    }

    @Test func eachBrokenAnswerMapsToARetryableError() async throws {
        let plan = FaultPlan.script([.malformedBody, .truncatedBody, .closeConnection, .hang])
        try await withProxy(plan) { proxy, _ in
            let teacher = try openAITeacher(proxy.baseURL, timeout: 5)
            var errors: [TeacherError] = []
            for _ in 0..<4 {
                errors.append(try #require(await teacherError { try await teacher.complete(userRequest("hi")) }))
            }
            guard case .malformedResponse(let malformed) = errors[0], case .malformedResponse(let truncated) = errors[1] else {
                Issue.record("expected malformed-response errors, got \(errors)")
                return
            }
            #expect(malformed.contains("not valid JSON") && malformed.contains("<html>"))
            #expect(truncated.contains("not valid JSON"))
            guard case .transport = errors[2] else {
                Issue.record("a dropped connection should be a transport error, got \(errors[2])")
                return
            }
            #expect(errors[3] == .timeout(seconds: 5))
            #expect(errors.allSatisfy { $0.isRetryable })
        }
    }

    @Test func unreachableServerIsATransportError() async throws {
        let teacher = try OpenAITeacher(OpenAITeacherConfiguration(baseURL: "http://127.0.0.1:1/v1", model: "m", timeout: 5),
                                        environment: [:])
        let error = await teacherError { try await teacher.complete(userRequest("hi")) }
        guard case .transport(let message)? = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("127.0.0.1:1"))
    }

    @Test func capabilitiesRefuseRequestsBeforeSending() async throws {
        try await withServer { server in
            var textOnly = OpenAITeacherConfiguration.defaultCapabilities
            textOnly.maxTopLogprobs = 0
            let teacher = try openAITeacher(server.baseURL, capabilities: textOnly)
            let image = TeacherRequest(messages: [ChatMessage(role: "user", parts: [.imageURL("https://example.com/a.png")])])
            #expect(await teacherError { try await teacher.complete(image) }?.kind == "unsupported")
            #expect(await teacherError { try await teacher.complete(userRequest("hi", topLogprobs: 2)) }?.kind == "unsupported")
            #expect(await teacherError { try await teacher.complete(userRequest("hi", topLogprobs: 21)) }?.kind == "invalidRequest")
            #expect(server.requestCount == 0, "nothing may be sent for a refused request")
        }
    }

    @Test func baseURLsWithCredentialsOrWithoutHTTPAreRefused() {
        for base in ["ftp://host/v1", "localhost:8000", "http://user:pw@host/v1", "https://host/v1?key=abc"] {
            #expect(throws: TeacherError.self, "\(base)") {
                try OpenAITeacher(OpenAITeacherConfiguration(baseURL: base, model: "m"), environment: [:])
            }
        }
        let teacher = try? OpenAITeacher(OpenAITeacherConfiguration(baseURL: "http://host:8000/v1/", model: "m"), environment: [:])
        #expect(teacher?.identity == TeacherIdentity(backend: "openai", model: "m", endpoint: "http://host:8000/v1"))
    }
}
