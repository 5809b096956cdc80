// The hyper-parameters and tokenizer of a LLaMA-family model as llama.cpp stores them in GGUF
// metadata: general.architecture, "<arch>.*" (context_length, embedding_length, block_count,
// feed_forward_length, attention.head_count[_kv], rope.freq_base,
// attention.layer_norm_rms_epsilon, vocab_size), tokenizer.ggml.* and tokenizer.chat_template.

public struct GGUFModelInfo: Sendable, Equatable {
    public struct Tokenizer: Sendable, Equatable {
        /// tokenizer.ggml.model: "gpt2" (byte-level BPE), "llama" (SentencePiece), …
        public var model: String
        /// tokenizer.ggml.pre: the pre-tokenizer name ("smollm", "llama-bpe", …), when given.
        public var pre: String?
        public var tokens: [String]
        /// tokenizer.ggml.token_type (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).
        public var tokenTypes: [Int32]?
        /// tokenizer.ggml.merges: "a b" pairs in priority order (empty for non-BPE models).
        public var merges: [String]
        public var bosTokenID: Int?
        public var eosTokenID: Int?
        public var paddingTokenID: Int?
        public var unknownTokenID: Int?
        public var addBOSToken: Bool?
        public var addEOSToken: Bool?
        /// tokenizer.ggml.scores: the piece scores SentencePiece vocabularies merge by.
        public var scores: [Float]? = nil
        /// tokenizer.ggml.add_space_prefix (SentencePiece; llama.cpp's default is true).
        public var addSpacePrefix: Bool? = nil
    }

    public var architecture: String
    public var contextLength: Int
    public var embeddingLength: Int
    public var blockCount: Int
    public var feedForwardLength: Int
    public var headCount: Int
    /// Key/value heads (grouped-query attention); equals `headCount` when the key is absent.
    public var headCountKV: Int
    /// RoPE base frequency; 10,000 when the key is absent (llama.cpp's default).
    public var ropeFreqBase: Float
    public var rmsNormEpsilon: Float
    /// `<arch>.vocab_size`, or the number of tokens when absent.
    public var vocabSize: Int
    public var tokenizer: Tokenizer
    public var chatTemplate: String?

    /// Reads the model description, throwing a GGUFError naming the first missing or mistyped key.
    public init(_ file: GGUFFile) throws {
        func optional<T>(_ key: String, _ read: (String) throws -> T) throws -> T? {
            file.value(key) == nil ? nil : try read(key)
        }
        let arch = try file.string("general.architecture")
        architecture = arch
        contextLength = try file.int("\(arch).context_length")
        embeddingLength = try file.int("\(arch).embedding_length")
        blockCount = try file.int("\(arch).block_count")
        feedForwardLength = try file.int("\(arch).feed_forward_length")
        headCount = try file.int("\(arch).attention.head_count")
        headCountKV = try optional("\(arch).attention.head_count_kv", file.int) ?? headCount
        ropeFreqBase = try optional("\(arch).rope.freq_base", file.float) ?? 10_000
        rmsNormEpsilon = try file.float("\(arch).attention.layer_norm_rms_epsilon")
        let tokens = try file.stringArray("tokenizer.ggml.tokens")
        vocabSize = try optional("\(arch).vocab_size", file.int) ?? tokens.count
        tokenizer = Tokenizer(
            model: try file.string("tokenizer.ggml.model"),
            pre: try optional("tokenizer.ggml.pre", file.string),
            tokens: tokens,
            tokenTypes: try optional("tokenizer.ggml.token_type", file.int32Array),
            merges: try optional("tokenizer.ggml.merges", file.stringArray) ?? [],
            bosTokenID: try optional("tokenizer.ggml.bos_token_id", file.int),
            eosTokenID: try optional("tokenizer.ggml.eos_token_id", file.int),
            paddingTokenID: try optional("tokenizer.ggml.padding_token_id", file.int),
            unknownTokenID: try optional("tokenizer.ggml.unknown_token_id", file.int),
            addBOSToken: try optional("tokenizer.ggml.add_bos_token", file.bool),
            addEOSToken: try optional("tokenizer.ggml.add_eos_token", file.bool),
            scores: try optional("tokenizer.ggml.scores", file.floatArray),
            addSpacePrefix: try optional("tokenizer.ggml.add_space_prefix", file.bool))
        chatTemplate = try optional("tokenizer.chat_template", file.string)
        guard headCount > 0, headCountKV > 0, headCount % headCountKV == 0, embeddingLength % headCount == 0 else {
            throw GGUFError(.corrupt, file: file.path, field: "metadata key '\(arch).attention.head_count'",
                            "\(headCount) heads and \(headCountKV) key/value heads do not divide embedding length \(embeddingLength)")
        }
        if let types = tokenizer.tokenTypes, types.count != tokens.count {
            throw GGUFError(.corrupt, file: file.path, field: "metadata key 'tokenizer.ggml.token_type'",
                            "has \(types.count) entries for \(tokens.count) tokens")
        }
    }
}
