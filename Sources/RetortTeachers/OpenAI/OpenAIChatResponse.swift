// Reads a chat-completions answer: choices in index order with their text and finish_reason,
// per-token log-probabilities (`logprobs.content[].{token, logprob, top_logprobs}`) and usage.
// Anything that breaks the protocol is a `.malformedResponse` that quotes where.
import RetortJSON

enum OpenAIChatResponse {
    static func parse(_ body: String, fallbackModel: String) throws(TeacherError) -> TeacherResponse {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw .malformedResponse("\(error.message); the answer begins: \(ServerErrorMessage.excerpt(body))")
        }
        guard let items = json["choices"]?.arrayValue else {
            if json["error"] != nil {
                throw .malformedResponse("the server answered 200 with an error: \(ServerErrorMessage.extract(from: body))")
            }
            throw .malformedResponse("the answer has no \"choices\" list; it begins: \(ServerErrorMessage.excerpt(body))")
        }
        var indexed: [(index: Int, choice: TeacherChoice)] = []
        for (position, item) in items.enumerated() {
            let index = item["index"]?.doubleValue.map { Int($0) } ?? position
            indexed.append((index, try choice(item, position: position)))
        }
        indexed.sort { $0.index < $1.index }
        let usage = TokenUsage(promptTokens: count(json["usage"]?["prompt_tokens"]),
                               completionTokens: count(json["usage"]?["completion_tokens"]))
        return TeacherResponse(choices: indexed.map(\.choice), usage: usage,
                               model: json["model"]?.stringValue ?? fallbackModel)
    }

    private static func choice(_ item: JSONValue, position: Int) throws(TeacherError) -> TeacherChoice {
        guard let message = item["message"] else { throw .malformedResponse("choice \(position) has no \"message\"") }
        let text: String
        switch message["content"] {
        case .string(let content)?: text = content
        case .null?, nil: text = ""  // a refusal or a tool call carries no content
        case .array(let parts)?: text = parts.compactMap { $0["text"]?.stringValue }.joined()
        case let other?: throw .malformedResponse("choice \(position): message content is \(other.typeName), expected a string")
        }
        let finish = item["finish_reason"]?.stringValue ?? "unknown"
        var logprobs: [TokenLogprob]?
        if let entries = item["logprobs"]?["content"]?.arrayValue {
            logprobs = []
            for (i, entry) in entries.enumerated() {
                logprobs?.append(try tokenLogprob(entry, where: "choice \(position), token \(i)"))
            }
        }
        return TeacherChoice(text: text, finishReason: finish, logprobs: logprobs)
    }

    private static func tokenLogprob(_ entry: JSONValue, where place: String) throws(TeacherError) -> TokenLogprob {
        guard let token = entry["token"]?.stringValue, let logprob = entry["logprob"]?.doubleValue else {
            throw .malformedResponse("\(place): a log-probability entry needs a string \"token\" and a number \"logprob\"")
        }
        var top: [TopLogprob] = []
        for alternative in entry["top_logprobs"]?.arrayValue ?? [] {
            guard let t = alternative["token"]?.stringValue, let l = alternative["logprob"]?.doubleValue else {
                throw .malformedResponse("\(place): a top_logprobs entry needs a string \"token\" and a number \"logprob\"")
            }
            top.append(TopLogprob(token: t, logprob: l))
        }
        return TokenLogprob(token: token, logprob: logprob, top: top.sorted { $0.logprob > $1.logprob })
    }

    private static func count(_ value: JSONValue?) -> Int {
        guard let n = value?.doubleValue, n.isFinite, n >= 0, n < 1e15 else { return 0 }
        return Int(n)
    }
}
