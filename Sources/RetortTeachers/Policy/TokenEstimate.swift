// A request's token cost guessed before it is sent, for the tokens-per-minute bucket: about four
// characters per prompt token, a few per message for the chat format, a flat amount per image,
// and the full completion budget. The policy corrects the bucket with the usage the server reports.

enum TokenEstimate {
    static let charactersPerToken = 4
    static let tokensPerMessage = 4
    /// OpenAI's cost of one high-detail 512×512 tile plus base; other APIs are in the same range.
    static let tokensPerImage = 765

    static func tokens(for request: TeacherRequest) -> Int {
        var prompt = 0
        for message in request.messages {
            prompt += tokensPerMessage + (message.text.utf8.count + charactersPerToken - 1) / charactersPerToken
            prompt += message.parts.count { if case .imageURL = $0 { true } else { false } } * tokensPerImage
        }
        return prompt + request.maxTokens * request.n
    }
}
