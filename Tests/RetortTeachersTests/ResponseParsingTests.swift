// The answer parsers on malformed and unusual input: every broken answer is a malformedResponse
// that says what is wrong, and nothing a server sends can crash them.
import Foundation
import RetortJSON
@testable import RetortTeachers
import Testing

@Suite struct ResponseParsingTests {
    static let openAIAnswer = #"""
        {"id":"x","model":"gpt","choices":[
          {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"length"},
          {"index":0,"message":{"role":"assistant","content":"first"},"finish_reason":"stop",
           "logprobs":{"content":[{"token":"first","logprob":-0.5,"bytes":[102],
                                   "top_logprobs":[{"token":"other","logprob":-2.0},{"token":"first","logprob":-0.5}]}]}}],
         "usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}
        """#

    static let anthropicAnswer = #"""
        {"id":"msg","type":"message","role":"assistant","model":"claude",
         "content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Hello"},{"type":"text","text":", world"}],
         "stop_reason":"stop_sequence","stop_sequence":"###","usage":{"input_tokens":20,"output_tokens":4}}
        """#

    func openAIError(_ body: String) -> String? {
        do {
            _ = try OpenAIChatResponse.parse(body, fallbackModel: "f")
            return nil
        } catch {
            guard case .malformedResponse(let message) = error else { return "wrong kind: \(error)" }
            return message
        }
    }

    func anthropicError(_ body: String) -> String? {
        do {
            _ = try AnthropicMessagesResponse.parse(body, fallbackModel: "f")
            return nil
        } catch {
            guard case .malformedResponse(let message) = error else { return "wrong kind: \(error)" }
            return message
        }
    }

    @Test func openAIAnswerIsReadInIndexOrderWithSortedAlternatives() throws {
        let response = try OpenAIChatResponse.parse(Self.openAIAnswer, fallbackModel: "f")
        #expect(response.model == "gpt")
        #expect(response.choices.map(\.text) == ["first", "second"])
        #expect(response.choices.map(\.finishReason) == ["stop", "length"])
        #expect(response.choices[0].logprobs == [
            TokenLogprob(token: "first", logprob: -0.5,
                         top: [TopLogprob(token: "first", logprob: -0.5), TopLogprob(token: "other", logprob: -2)]),
        ])
        #expect(response.choices[1].logprobs == nil)
        #expect(response.usage == TokenUsage(promptTokens: 11, completionTokens: 3))
    }

    @Test func openAIAnswerWithMissingOptionalPartsIsStillRead() throws {
        let response = try OpenAIChatResponse.parse(
            #"{"choices":[{"message":{"content":null},"finish_reason":null},{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]}"#,
            fallbackModel: "fallback")
        #expect(response.model == "fallback")
        #expect(response.choices.map(\.text) == ["", "ab"])
        #expect(response.choices.map(\.finishReason) == ["unknown", "unknown"])
        #expect(response.usage == .zero)
    }

    @Test func malformedOpenAIAnswersSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("", "not valid JSON"),
            ("{", "not valid JSON"),
            ("<html>Bad gateway</html>", "<html>"),
            ("[]", "no \"choices\""),
            (#"{"choices": 3}"#, "no \"choices\""),
            (#"{"error": {"message": "overloaded", "type": "server_error"}}"#, "overloaded [server_error]"),
            (#"{"choices":[{"index":0}]}"#, "choice 0 has no \"message\""),
            (#"{"choices":[{"message":{"content":7}}]}"#, "a number"),
            (#"{"choices":[{"message":{"content":"x"},"logprobs":{"content":[{"token":"x"}]}}]}"#, "choice 0, token 0"),
            (#"{"choices":[{"message":{"content":"x"},"logprobs":{"content":[{"token":"x","logprob":-1,"top_logprobs":[{"logprob":-1}]}]}}]}"#,
             "top_logprobs entry"),
        ]
        for (body, expected) in cases {
            let message = openAIError(body)
            #expect(message?.contains(expected) == true, "body \(body) gave \(String(describing: message))")
        }
    }

    @Test func everyTruncationOfAnAnswerIsAnErrorNotACrash() {
        for text in [Self.openAIAnswer, Self.anthropicAnswer] {
            let bytes = Array(text.utf8)
            for length in 0..<bytes.count {
                let prefix = String(decoding: bytes[..<length], as: UTF8.self)
                if prefix.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || length < bytes.count - 1 {
                    #expect(openAIError(prefix) != nil || anthropicError(prefix) != nil)
                }
            }
        }
    }

    @Test func anthropicAnswerJoinsTextBlocksAndMapsTheStopReason() throws {
        let response = try AnthropicMessagesResponse.parse(Self.anthropicAnswer, fallbackModel: "f")
        #expect(response.choices == [TeacherChoice(text: "Hello, world", finishReason: "stop")])
        #expect(response.usage == TokenUsage(promptTokens: 20, completionTokens: 4))
        #expect(response.model == "claude")
        #expect(AnthropicMessagesResponse.finishReason("end_turn") == "stop")
        #expect(AnthropicMessagesResponse.finishReason("max_tokens") == "length")
        #expect(AnthropicMessagesResponse.finishReason("refusal") == "refusal")
        #expect(AnthropicMessagesResponse.finishReason(nil) == "unknown")
    }

    @Test func malformedAnthropicAnswersSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("{\"content\": [", "not valid JSON"),
            (#"{"type":"message"}"#, "no \"content\""),
            (#"{"content":[{"type":"text"}]}"#, "content block 0"),
            (#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, "Overloaded [overloaded_error]"),
        ]
        for (body, expected) in cases {
            let message = anthropicError(body)
            #expect(message?.contains(expected) == true, "body \(body) gave \(String(describing: message))")
        }
    }

    @Test func errorMessagesAreFoundInEveryCommonShape() {
        #expect(ServerErrorMessage.extract(from: #"{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}"#)
            == "Rate limit [requests]")
        #expect(ServerErrorMessage.extract(from: #"{"error":{"message":"bad","code":"x1"}}"#) == "bad [x1]")
        #expect(ServerErrorMessage.extract(from: #"{"error":"model not found"}"#) == "model not found")
        #expect(ServerErrorMessage.extract(from: #"{"object":"error","message":"too long","code":400}"#) == "too long")
        #expect(ServerErrorMessage.extract(from: #"{"detail":"Not Found"}"#) == "Not Found")
        #expect(ServerErrorMessage.extract(from: #"{"detail":[{"loc":["body"],"msg":"field required"}]}"#).contains("field required"))
        #expect(ServerErrorMessage.extract(from: "") == "(empty body)")
        #expect(ServerErrorMessage.extract(from: "upstream connect error") == "upstream connect error")
        let long = ServerErrorMessage.extract(from: String(repeating: "x", count: 5000))
        #expect(long.count < 300 && long.contains("5000 bytes"))
    }

    @Test func openAIBodyKeepsLargeSeedsExact() throws {
        var request = TeacherRequest(messages: [ChatMessage(role: "user", text: "hi")])
        request.sampling.seed = UInt64.max
        let body = OpenAIChatRequest.body(for: request, model: "m")
        #expect(body.hasPrefix("{\"seed\":18446744073709551615,\"max_tokens\":256,"))
        #expect((try? JSONValue(parsing: body)) != nil)
    }
}
