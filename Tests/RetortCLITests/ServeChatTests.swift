// `retort serve` answering as an OpenAI server: the model list, chat completions with OpenAI's
// log-probability shape, n choices, stop strings, streaming as server-sent events with usage, text
// completions that score their prompt (echo), and a clean exit on SIGTERM. One server process
// serves the whole test (loading the model is the slow part of a debug build).
import Foundation
import RetortJSON
import Testing

@Suite struct ServeChatTests {
    let france: JSONValue = [["role": "user", "content": "What is the capital of France?"]]

    @Test func servesChatCompletionsStreamsAndScoresLikeOpenAI() async throws {
        let server = try ServeTestServer()
        defer { server.stop() }
        #expect(server.listeningLine == "retort serve: listening on \(server.baseURL) (model \(server.modelName))")

        // The model list names the served model.
        let models = try await server.send("GET", "/v1/models")
        #expect(models.status == 200)
        #expect(models.json?["data"]?.arrayValue?.first?["id"]?.stringValue == server.modelName)
        #expect(models.json?["object"] == "list")

        try await greedyChatWithLogprobs(server)
        try await choicesAndStops(server)
        try await streaming(server)
        try await textCompletionScoresItsPrompt(server)

        #expect(server.stop() == 0, "SIGTERM shuts the server down cleanly")
    }

    func greedyChatWithLogprobs(_ server: ServeTestServer) async throws {
        let response = try await server.post("/v1/chat/completions", [
            "model": .string(server.modelName), "messages": france, "max_tokens": 8, "temperature": 0,
            "logprobs": true, "top_logprobs": 3,
        ])
        #expect(response.status == 200, "\(response.body)")
        #expect(response.headers["content-type"] == "application/json")
        let json = try #require(response.json)
        #expect(json["object"] == "chat.completion")
        #expect(json["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
        #expect(json["model"]?.stringValue == server.modelName)
        let choice = try #require(json["choices"]?.arrayValue?.first)
        #expect(choice["index"] == 0)
        #expect(choice["message"]?["role"] == "assistant")
        let content = try #require(choice["message"]?["content"]?.stringValue)
        #expect(content.contains("Paris"), "answer: \(content)")
        #expect(["stop", "length"].contains(choice["finish_reason"]?.stringValue))
        let entries = try #require(choice["logprobs"]?["content"]?.arrayValue)
        #expect(!entries.isEmpty)
        var spelled: [UInt8] = []
        for entry in entries {
            let token = try #require(entry["token"]?.stringValue)
            let bytes = try #require(entry["bytes"]?.arrayValue).compactMap { $0.doubleValue.map { UInt8($0) } }
            #expect(String(decoding: bytes, as: UTF8.self) == token)
            spelled += bytes
            let logprob = try #require(entry["logprob"]?.doubleValue)
            #expect(logprob <= 0)
            let top = try #require(entry["top_logprobs"]?.arrayValue)
            #expect(top.count == 3)
            #expect(top.first?["token"]?.stringValue == token, "greedy picks the most likely token")
            #expect(top.first?["logprob"]?.doubleValue == logprob)
            #expect(top.allSatisfy { $0["bytes"]?.arrayValue != nil })
        }
        #expect(String(decoding: spelled, as: UTF8.self) == content, "the tokens' bytes spell the answer")
        let usage = try #require(json["usage"])
        #expect(usage["completion_tokens"]?.doubleValue == Double(entries.count))
        let prompt = try #require(usage["prompt_tokens"]?.doubleValue)
        #expect(prompt > 10)
        #expect(usage["total_tokens"]?.doubleValue == prompt + Double(entries.count))
    }

    func choicesAndStops(_ server: ServeTestServer) async throws {
        // Two seeded choices, content given as a list of parts, max_completion_tokens.
        let parts: JSONValue = [["role": "user", "content": [["type": "text", "text": "Name a fruit."]]]]
        let request: JSONValue = ["model": .string(server.modelName), "messages": parts, "max_completion_tokens": 6,
                                  "temperature": 1, "seed": 11, "n": 2]
        let first = try await server.post("/v1/chat/completions", request)
        #expect(first.status == 200, "\(first.body)")
        let choices = try #require(first.json?["choices"]?.arrayValue)
        #expect(choices.map { $0["index"] } == [0, 1])
        #expect(choices.allSatisfy { $0["logprobs"] == .null })
        let again = try await server.post("/v1/chat/completions", request)
        #expect(again.json?["choices"] == first.json?["choices"], "the same seed repeats the same choices")

        // A stop string, alone or in a list, ends the answer before it.
        for stop: JSONValue in ["Paris", ["nothing-like-this", "Paris"]] {
            let stopped = try await server.post("/v1/chat/completions", [
                "model": .string(server.modelName), "messages": france, "max_tokens": 10, "temperature": 0, "stop": stop,
            ])
            let choice = try #require(stopped.json?["choices"]?.arrayValue?.first)
            #expect(choice["finish_reason"] == "stop")
            let text = try #require(choice["message"]?["content"]?.stringValue)
            #expect(!text.contains("Paris") && !text.isEmpty, "stopped answer: \(text)")
        }
    }

    func streaming(_ server: ServeTestServer) async throws {
        let whole = try await server.post("/v1/chat/completions", [
            "model": .string(server.modelName), "messages": france, "max_tokens": 8, "temperature": 0,
        ])
        let expected = try #require(whole.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue)

        let response = try await server.post("/v1/chat/completions", [
            "model": "smollm2-135m-instruct", "messages": france, "max_tokens": 8, "temperature": 0, "stream": true,
            "stream_options": ["include_usage": true], "logprobs": true,
        ])
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/event-stream")
        let events = ServeTestServer.events(response.body)
        #expect(events.last == "[DONE]")
        let chunks = try events.dropLast().map { try JSONValue(parsing: $0) }
        #expect(chunks.count >= 4, "role, content…, finish, usage")
        #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" && $0["id"] == chunks[0]["id"] })
        #expect(chunks.first?["choices"]?.arrayValue?.first?["delta"]?["role"] == "assistant")
        var streamed = "", tokens = 0
        for chunk in chunks.dropLast() {
            #expect(chunk["usage"] == .null, "with include_usage, every chunk but the last carries usage: null")
            for choice in chunk["choices"]?.arrayValue ?? [] {
                streamed += choice["delta"]?["content"]?.stringValue ?? ""
                tokens += choice["logprobs"]?["content"]?.arrayValue?.count ?? 0
            }
        }
        #expect(streamed == expected, "the stream spells the same greedy answer")
        let finish = chunks[chunks.count - 2]["choices"]?.arrayValue?.first
        #expect(["stop", "length"].contains(finish?["finish_reason"]?.stringValue))
        let usage = try #require(chunks.last)
        #expect(usage["choices"] == [])
        #expect(usage["usage"]?["completion_tokens"]?.doubleValue == Double(tokens))
    }

    func textCompletionScoresItsPrompt(_ server: ServeTestServer) async throws {
        let prompt = "The capital of France is"
        let response = try await server.post("/v1/completions", [
            "model": .string(server.modelName), "prompt": .string(prompt), "max_tokens": 0, "echo": true, "logprobs": 2,
        ])
        #expect(response.status == 200, "\(response.body)")
        let choice = try #require(response.json?["choices"]?.arrayValue?.first)
        #expect(choice["text"]?.stringValue == prompt)
        let logprobs = try #require(choice["logprobs"])
        let tokens = try #require(logprobs["tokens"]?.arrayValue).compactMap(\.stringValue)
        #expect(tokens.joined() == prompt)
        let values = try #require(logprobs["token_logprobs"]?.arrayValue)
        #expect(values.count == tokens.count)
        #expect(values.first == .null, "the first token has nothing before it")
        #expect(values.dropFirst().allSatisfy { ($0.doubleValue ?? 1) <= 0 })
        let tops = try #require(logprobs["top_logprobs"]?.arrayValue)
        #expect(tops.dropFirst().allSatisfy { $0.objectValue?.count == 2 })
        #expect(logprobs["text_offset"] == [0, 3, 11, 14, 21])

        let continued = try await server.post("/v1/completions", [
            "model": .string(server.modelName), "prompt": .string(prompt), "max_tokens": 3, "temperature": 0,
        ])
        let text = try #require(continued.json?["choices"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.contains("Paris"), "continuation: \(text)")
        #expect(continued.json?["object"] == "text_completion")
    }
}
