// The tokenizer stored in a GGUF file (tokenizer.ggml.*), as llama.cpp reads it: byte-level BPE
// ("gpt2") with the pre-tokenizer named by tokenizer.ggml.pre, or SentencePiece BPE ("llama")
// with piece scores, byte tokens and a space prefix.
extension BPETokenizer {
    public init(gguf tokenizer: GGUFModelInfo.Tokenizer) throws(TokenizerError) {
        func id(_ value: Int?) -> Int32? { value.flatMap { Int32(exactly: $0) } }
        switch tokenizer.model {
        case "gpt2":
            let preName = tokenizer.pre ?? "default"
            guard let preTokenizer = PreTokenizer(ggufPreType: preName) else {
                throw .unsupported(component: "tokenizer.ggml.pre", value: preName)
            }
            try self.init(
                tokens: tokenizer.tokens, merges: tokenizer.merges, tokenTypes: tokenizer.tokenTypes,
                bosID: id(tokenizer.bosTokenID), eosID: id(tokenizer.eosTokenID), padID: id(tokenizer.paddingTokenID),
                addBOS: tokenizer.addBOSToken ?? false, addEOS: tokenizer.addEOSToken ?? false, preTokenizer: preTokenizer)
        case "llama":
            guard let scores = tokenizer.scores else {
                throw .missingField("tokenizer.ggml.scores (a SentencePiece vocabulary merges by piece score)")
            }
            // llama.cpp's defaults for a "llama" vocabulary when the keys are absent.
            let count = tokenizer.tokens.count
            func idOrDefault(_ value: Int?, _ fallback: Int32) -> Int32? {
                value == nil ? (Int(fallback) < count ? fallback : nil) : id(value)
            }
            let prefix = tokenizer.addSpacePrefix ?? true
            try self.init(
                sentencePieceTokens: tokenizer.tokens, scores: scores, tokenTypes: tokenizer.tokenTypes,
                bosID: idOrDefault(tokenizer.bosTokenID, 1), eosID: idOrDefault(tokenizer.eosTokenID, 2),
                padID: id(tokenizer.paddingTokenID), unknownID: idOrDefault(tokenizer.unknownTokenID, 0),
                addBOS: tokenizer.addBOSToken ?? true, addEOS: tokenizer.addEOSToken ?? false,
                options: SentencePieceOptions(spacePrefix: prefix ? .everySegment : .none, stripsLeadingSpace: prefix))
        default:
            throw .unsupported(
                component: "tokenizer.ggml.model",
                value: "\"\(tokenizer.model)\" (supported: \"gpt2\", byte-level BPE, and \"llama\", SentencePiece BPE)")
        }
    }
}
