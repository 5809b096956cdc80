// The tokenizer stored in a GGUF file (tokenizer.ggml.*), as llama.cpp reads it: byte-level BPE
// ("gpt2") with the pre-tokenizer named by tokenizer.ggml.pre.
extension BPETokenizer {
    public init(gguf tokenizer: GGUFModelInfo.Tokenizer) throws(TokenizerError) {
        guard tokenizer.model == "gpt2" else {
            throw .unsupported(component: "tokenizer.ggml.model", value: tokenizer.model
                + " (only byte-level BPE, \"gpt2\", is supported so far)")
        }
        let preName = tokenizer.pre ?? "default"
        guard let preTokenizer = PreTokenizer(ggufPreType: preName) else {
            throw .unsupported(component: "tokenizer.ggml.pre", value: preName)
        }
        func id(_ value: Int?) -> Int32? { value.flatMap { Int32(exactly: $0) } }
        try self.init(
            tokens: tokenizer.tokens, merges: tokenizer.merges, tokenTypes: tokenizer.tokenTypes,
            bosID: id(tokenizer.bosTokenID), eosID: id(tokenizer.eosTokenID), padID: id(tokenizer.paddingTokenID),
            addBOS: tokenizer.addBOSToken ?? false, addEOS: tokenizer.addEOSToken ?? false, preTokenizer: preTokenizer)
    }
}
