// `retort serve` refusing bad requests the way OpenAI does: a JSON body {"error": {message, type,
// param, code}} with status 400 (naming the parameter), 404 for an unknown model or URL, 405 for a
// wrong method, `context_length_exceeded` for a prompt beyond the context, and a server that keeps
// answering afterwards. Bad command lines fail before any model is loaded.
import Foundation
import RetortJSON
import Testing

@Suite struct ServeErrorTests {
    struct Case {
        let body: String
        let status: Int
        let param: String?
        let code: String?
        let mentions: String
    }

    func chat(_ fields: String) -> String {
        #"{"model": "SmolLM2-135M-Instruct.Q4_1", "messages": [{"role": "user", "content": "Hi"}]"# + fields + "}"
    }

    var cases: [Case] {
        [
            Case(body: "{not json", status: 400, param: nil, code: "invalid_json", mentions: "line 1, column 2"),
            Case(body: "[1, 2]", status: 400, param: nil, code: "invalid_json", mentions: "JSON object"),
            Case(body: "", status: 400, param: nil, code: "invalid_json", mentions: "parse"),
            Case(body: #"{"messages": [{"role": "user", "content": "Hi"}]}"#, status: 400, param: "model",
                 code: "missing_required_parameter", mentions: "model"),
            Case(body: #"{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}"#, status: 404, param: "model",
                 code: "model_not_found", mentions: "gpt-4o"),
            Case(body: #"{"model": "SmolLM2-135M-Instruct.Q4_1", "messages": "Hi"}"#, status: 400, param: "messages",
                 code: "invalid_type", mentions: "array"),
            Case(body: #"{"model": "SmolLM2-135M-Instruct.Q4_1", "messages": [{"content": "Hi"}]}"#, status: 400,
                 param: "messages[0]", code: "invalid_value", mentions: "role"),
            Case(body: #"{"model": "SmolLM2-135M-Instruct.Q4_1", "messages": [{"role": "wizard", "content": "Hi"}]}"#,
                 status: 400, param: "messages[0].role", code: "invalid_value", mentions: "wizard"),
            Case(body: chat(#", "temperature": "hot""#), status: 400, param: "temperature", code: "invalid_type", mentions: "string"),
            Case(body: chat(#", "temperature": 3"#), status: 400, param: "temperature", code: "invalid_value", mentions: "3"),
            Case(body: chat(#", "max_tokens": "5""#), status: 400, param: "max_tokens", code: "invalid_type", mentions: "integer"),
            Case(body: chat(#", "max_tokens": 0"#), status: 400, param: "max_tokens", code: "invalid_value", mentions: "0"),
            Case(body: chat(#", "max_completion_tokens": 2.5"#), status: 400, param: "max_completion_tokens",
                 code: "invalid_type", mentions: "integer"),
            Case(body: chat(#", "n": 0"#), status: 400, param: "n", code: "invalid_value", mentions: "0"),
            Case(body: chat(#", "top_p": 1.5"#), status: 400, param: "top_p", code: "invalid_value", mentions: "1.5"),
            Case(body: chat(#", "top_p": 0"#), status: 400, param: "top_p", code: "invalid_value", mentions: "(0, 1]"),
            Case(body: chat(#", "min_p": -0.1"#), status: 400, param: "min_p", code: "invalid_value", mentions: "-0.1"),
            Case(body: chat(#", "repetition_penalty": 0"#), status: 400, param: "repetition_penalty", code: "invalid_value",
                 mentions: "> 0"),
            Case(body: chat(#", "top_k": -2"#), status: 400, param: "top_k", code: "invalid_value", mentions: "-2"),
            Case(body: chat(#", "seed": "abc""#), status: 400, param: "seed", code: "invalid_type", mentions: "integer"),
            Case(body: chat(#", "stop": 5"#), status: 400, param: "stop", code: "invalid_type", mentions: "string"),
            Case(body: chat(#", "stop": ["a", 1]"#), status: 400, param: "stop", code: "invalid_type", mentions: "string"),
            Case(body: chat(#", "logprobs": "yes""#), status: 400, param: "logprobs", code: "invalid_type", mentions: "boolean"),
            Case(body: chat(#", "logprobs": true, "top_logprobs": 21"#), status: 400, param: "top_logprobs",
                 code: "invalid_value", mentions: "21"),
            Case(body: chat(#", "top_logprobs": 2"#), status: 400, param: "top_logprobs", code: "invalid_value",
                 mentions: "logprobs"),
            Case(body: chat(#", "stream_options": {"include_usage": true}"#), status: 400, param: "stream_options",
                 code: "invalid_value", mentions: "stream"),
            Case(body: chat(#", "presence_penalty": 0.5"#), status: 400, param: "presence_penalty",
                 code: "unsupported_parameter", mentions: "repetition_penalty"),
            Case(body: chat(#", "tools": [{"type": "function"}]"#), status: 400, param: "tools",
                 code: "unsupported_parameter", mentions: "tools"),
            Case(body: #"{"model": "SmolLM2-135M-Instruct.Q4_1", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}]}"#,
                 status: 400, param: "messages", code: "unsupported_content", mentions: "images"),
            Case(body: #"{"model": "SmolLM2-135M-Instruct.Q4_1", "messages": [{"role": "user", "content": [{"type": "audio"}]}]}"#,
                 status: 400, param: "messages[0]", code: "invalid_value", mentions: "audio"),
        ]
    }

    @Test func badRequestsGetOpenAIErrorsAndTheServerKeepsAnswering() async throws {
        let server = try ServeTestServer()
        defer { server.stop() }
        for bad in cases {
            let response = try await server.send("POST", "/v1/chat/completions", body: bad.body)
            #expect(response.status == bad.status, "\(bad.body) → \(response.body)")
            let error = response.json?["error"]
            #expect(error?["type"] == "invalid_request_error", "\(bad.body) → \(response.body)")
            #expect(error?["param"] == (bad.param.map { .string($0) } ?? .null), "\(bad.body) → \(response.body)")
            #expect(error?["code"] == (bad.code.map { .string($0) } ?? .null), "\(bad.body) → \(response.body)")
            #expect(error?["message"]?.stringValue?.contains(bad.mentions) == true, "\(bad.body) → \(response.body)")
        }

        // A prompt beyond the model's 8192-token context.
        let long = String(repeating: "hello ", count: 8300)
        let tooLong = try await server.post("/v1/chat/completions", [
            "model": .string(server.modelName), "messages": [["role": "user", "content": .string(long)]],
        ])
        #expect(tooLong.status == 400)
        #expect(tooLong.json?["error"]?["code"] == "context_length_exceeded")
        #expect(tooLong.json?["error"]?["message"]?.stringValue?.contains("8192") == true)

        // Text completions: bad prompts and scoring options.
        for (body, param) in [
            (#"{"model": "SmolLM2-135M-Instruct.Q4_1", "prompt": 5}"#, "prompt"),
            (#"{"model": "SmolLM2-135M-Instruct.Q4_1", "prompt": ["a", "b"]}"#, "prompt"),
            (#"{"model": "SmolLM2-135M-Instruct.Q4_1", "prompt": [1, 999999]}"#, "prompt"),
            (#"{"model": "SmolLM2-135M-Instruct.Q4_1", "prompt": ""}"#, "prompt"),
            (#"{"model": "SmolLM2-135M-Instruct.Q4_1", "prompt": "Hi", "max_tokens": 0}"#, "max_tokens"),
            (#"{"model": "SmolLM2-135M-Instruct.Q4_1", "prompt": "Hi", "logprobs": 30}"#, "logprobs"),
            (#"{"model": "SmolLM2-135M-Instruct.Q4_1", "prompt": "Hi", "suffix": "!"}"#, "suffix"),
        ] {
            let response = try await server.send("POST", "/v1/completions", body: body)
            #expect(response.status == 400, "\(body) → \(response.body)")
            #expect(response.json?["error"]?["param"] == .string(param), "\(body) → \(response.body)")
        }

        // Unknown URLs and wrong methods.
        let unknown = try await server.send("GET", "/v1/embeddings")
        #expect(unknown.status == 404)
        #expect(unknown.json?["error"]?["code"] == "unknown_url")
        let wrongMethod = try await server.send("GET", "/v1/chat/completions")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "POST")
        #expect(wrongMethod.json?["error"]?["code"] == "method_not_allowed")
        let deleteModels = try await server.send("DELETE", "/v1/models")
        #expect(deleteModels.status == 405)
        let missingModel = try await server.send("GET", "/v1/models/gpt-4o")
        #expect(missingModel.status == 404)
        #expect(missingModel.json?["error"]?["code"] == "model_not_found")

        // Still serving after all of that.
        let models = try await server.send("GET", "/v1/models/\(server.modelName)")
        #expect(models.status == 200)
        #expect(models.json?["id"]?.stringValue == server.modelName)
        let answer = try await server.post("/v1/chat/completions", [
            "model": .string(server.modelName), "messages": [["role": "user", "content": "Hi"]], "max_tokens": 2,
        ])
        #expect(answer.status == 200)
        #expect(server.stop() == 0)
    }

    @Test func badCommandLinesFailBeforeLoadingAModel() throws {
        let port = try RetortCommand.run(["serve", "--model", ServeTestServer.modelPath, "--port", "70000"])
        #expect(port.status == 2)
        #expect(port.stderr == "error: --port must be in 0…65535 (0 picks a free port), got 70000\n")
        let model = try RetortCommand.run(["serve", "--model", "no-such-model", "--port", "0"])
        #expect(model.status == 2)
        #expect(model.stderr.contains("no model named no-such-model"), "\(model.stderr)")
        #expect(model.stdout.isEmpty)
    }
}
