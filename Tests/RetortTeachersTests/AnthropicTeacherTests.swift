// The Anthropic backend against a real Messages-API server on loopback: how chat requests become
// Messages requests, how answers and errors are read, and what it refuses.
import Foundation
import RetortJSON
import RetortTeachers
import RetortTestSupport
import Testing

@Suite struct AnthropicTeacherTests {
    static let key = "sk-ant-loopback-7"

    func teacher(_ server: DelayedOpenAIServer, key: String = AnthropicTeacherTests.key) throws -> AnthropicTeacher {
        try AnthropicTeacher(AnthropicTeacherConfiguration(baseURL: server.baseURL, model: "claude-test"),
                             environment: ["ANTHROPIC_API_KEY": key])
    }

    @Test func requestBecomesAMessagesRequest() async throws {
        try await withServer(requiredAPIKey: Self.key) { server in
            let request = TeacherRequest(
                messages: [
                    ChatMessage(role: "system", text: "Be brief."),
                    ChatMessage(role: "user", parts: [.text("Compare "), .imageURL("data:image/png;base64,iVBORw0KGgo="),
                                                      .imageURL("https://example.com/b.jpg")]),
                    ChatMessage(role: "assistant", text: "Which aspect?"),
                    ChatMessage(role: "system", text: "Answer in French."),
                    ChatMessage(role: "user", text: "Colour."),
                ],
                maxTokens: 50, sampling: TeacherSampling(temperature: 0.3, topP: 0.8, topK: 5, seed: 9), stop: ["###"])
            _ = try await teacher(server).complete(request)

            let sent = try #require(server.requests.first)
            #expect(sent.path == "/v1/messages")
            #expect(sent.headers["x-api-key"] == Self.key && sent.headers["anthropic-version"] == "2023-06-01")
            #expect(sent.headers["authorization"] == nil)
            let body = try #require(sent.json)
            #expect(body["model"] == "claude-test" && body["max_tokens"] == 50)
            #expect(body["system"] == "Be brief.\n\nAnswer in French.")
            #expect(body["temperature"] == 0.3 && body["top_p"] == 0.8 && body["top_k"] == 5)
            #expect(body["stop_sequences"] == ["###"])
            #expect(body["seed"] == nil && body["n"] == nil)
            let messages = try #require(body["messages"]?.arrayValue)
            #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
            #expect(messages[0]["content"] == [
                ["type": "text", "text": "Compare "],
                ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="]],
                ["type": "image", "source": ["type": "url", "url": "https://example.com/b.jpg"]],
            ])
            #expect(messages[2]["content"] == "Colour.")
        }
    }

    @Test func topPIsLeftOutWhenItDoesNotRestrict() async throws {
        try await withServer(requiredAPIKey: Self.key) { server in
            _ = try await teacher(server).complete(userRequest("hi"))
            let body = try #require(server.requests.first?.json)
            #expect(body["top_p"] == nil && body["top_k"] == nil && body["stop_sequences"] == nil && body["system"] == nil)
            #expect(body["temperature"] == 1)
        }
    }

    @Test func answerTextStopReasonAndUsageAreRead() async throws {
        try await withServer(requiredAPIKey: Self.key) { server in
            let teacher = try teacher(server)
            let full = try await teacher.complete(userRequest("red green blue"))
            #expect(full.choices == [TeacherChoice(text: "echo: red green blue", finishReason: "stop")])
            #expect(full.usage == TokenUsage(promptTokens: 3, completionTokens: 4))
            #expect(full.model == "claude-test")
            let cut = try await teacher.complete(userRequest("red green blue", maxTokens: 2))
            #expect(cut.choices[0].text == "echo: red" && cut.choices[0].finishReason == "length")
            var stopped = userRequest("red green blue")
            stopped.stop = [" blue"]
            #expect(try await teacher.complete(stopped).choices[0].finishReason == "stop")
        }
    }

    @Test func nCompletionsAreNCallsWithUsageSummed() async throws {
        try await withServer(requiredAPIKey: Self.key) { server in
            let response = try await teacher(server).complete(userRequest("x y", n: 3))
            #expect(server.requestCount == 3)
            #expect(response.choices.count == 3)
            #expect(response.usage == TokenUsage(promptTokens: 6, completionTokens: 9))
        }
    }

    @Test func whatTheAPICannotDoIsRefusedBeforeSending() async throws {
        try await withServer(requiredAPIKey: Self.key) { server in
            let teacher = try teacher(server)
            #expect(await teacherError { try await teacher.complete(userRequest("hi", topLogprobs: 0)) }?.kind == "unsupported")
            var request = userRequest("hi")
            request.sampling.minP = 0.1
            #expect(await teacherError { try await teacher.complete(request) }?.kind == "unsupported")
            request = userRequest("hi")
            request.sampling.temperature = 1.5
            #expect(await teacherError { try await teacher.complete(request) }?.kind == "invalidRequest")
            let tool = TeacherRequest(messages: [ChatMessage(role: "user", text: "q"), ChatMessage(role: "tool", text: "42")])
            #expect(await teacherError { try await teacher.complete(tool) }?.kind == "invalidRequest")
            let onlySystem = TeacherRequest(messages: [ChatMessage(role: "system", text: "s")])
            #expect(await teacherError { try await teacher.complete(onlySystem) }?.kind == "invalidRequest")
            for url in ["data:image/bmp;base64,Qk0=", "data:image/png,rawbytes", "data:image/png;base64,@@@", "file:///tmp/a.png"] {
                let image = TeacherRequest(messages: [ChatMessage(role: "user", parts: [.imageURL(url)])])
                #expect(await teacherError { try await teacher.complete(image) }?.kind == "invalidRequest", "\(url)")
            }
            #expect(server.requestCount == 0)
        }
    }

    @Test func errorBodyIsMappedAndTheKeyScrubbed() async throws {
        try await withServer(requiredAPIKey: "sk-ant-right") { server in
            let error = await teacherError { try await teacher(server, key: "sk-ant-wrong-1").complete(userRequest("hi")) }
            guard case .http(401, let message, nil)? = error else {
                Issue.record("expected HTTP 401, got \(String(describing: error))")
                return
            }
            #expect(message == "invalid x-api-key [redacted $ANTHROPIC_API_KEY] [authentication_error]")
        }
    }

    @Test func missingKeyIsReportedWithTheDefaultVariable() {
        #expect(throws: TeacherError.missingAPIKey(variable: "ANTHROPIC_API_KEY")) {
            try AnthropicTeacher(AnthropicTeacherConfiguration(model: "claude"), environment: [:])
        }
    }

    @Test func identityNamesTheBackendModelAndEndpointOnly() throws {
        let teacher = try AnthropicTeacher(AnthropicTeacherConfiguration(model: "claude-x"), environment: ["ANTHROPIC_API_KEY": "sk-ant-zzz"])
        #expect(teacher.identity == TeacherIdentity(backend: "anthropic", model: "claude-x", endpoint: "https://api.anthropic.com"))
        #expect(!"\(teacher)".contains("sk-ant-zzz"))
        #expect(teacher.capabilities.maxTopLogprobs == 0 && teacher.capabilities.vision)
    }
}
