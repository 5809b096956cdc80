// A GGUF tokenizer (tokenizer.ggml.*, byte-level BPE) written as the two files a Hugging Face
// folder carries: tokenizer.json (the `tokenizers` library's format: BPE model with the vocabulary
// in id order and the merges, added tokens, the pre-tokenizer of the family, ByteLevel
// post-processing and decoding) and tokenizer_config.json (special tokens, chat template).

enum HuggingFaceTokenizerFiles {
    /// tokenizer.json for `t`; `file` names the destination in errors.
    static func tokenizerJSON(_ t: GGUFModelInfo.Tokenizer, file: String) throws -> OrderedJSON {
        guard t.model == "gpt2" else {
            throw ModelConversionError(
                file: file, "tokenizer.ggml.model \(t.model) cannot be written as tokenizer.json; only byte-level BPE (gpt2) can")
        }
        let preName = t.pre ?? "default"
        guard let preTokenizer = PreTokenizer(ggufPreType: preName) else {
            throw ModelConversionError(file: file, "tokenizer.ggml.pre \(preName) is not a pre-tokenizer Retort knows, so its tokenizer.json cannot be written")
        }
        var seen = Set<[UInt8]>()
        for (id, token) in t.tokens.enumerated() where !seen.insert(Array(token.utf8)).inserted {
            throw ModelConversionError(file: file, "token \(id) (\"\(token)\") appears twice in the vocabulary; tokenizer.json maps each token to one id")
        }
        let added = addedTokens(t)
        let vocab = OrderedJSON.object(t.tokens.enumerated().map { ($1, .int($0)) })
        let merges = OrderedJSON.array(t.merges.map { .string($0) })
        let model: OrderedJSON = .object([
            ("type", .string("BPE")), ("dropout", .null), ("unk_token", .null), ("continuing_subword_prefix", .null),
            ("end_of_word_suffix", .null), ("fuse_unk", .bool(false)), ("byte_fallback", .bool(false)),
            ("ignore_merges", .bool(preTokenizer == .llama3)), ("vocab", vocab), ("merges", merges),
        ])
        return .object([
            ("version", .string("1.0")), ("truncation", .null), ("padding", .null),
            ("added_tokens", .array(added.map { token in
                .object([("id", .int(Int(token.id))), ("content", .string(token.content)), ("single_word", .bool(false)),
                         ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(!token.special)),
                         ("special", .bool(token.special))])
            })),
            ("normalizer", .null),
            ("pre_tokenizer", preTokenizerJSON(preTokenizer)),
            ("post_processor", try postProcessor(t, file: file)),
            ("decoder", .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(true)), ("trim_offsets", .bool(true)),
                                 ("use_regex", .bool(true))])),
            ("model", model),
        ])
    }

    /// tokenizer_config.json: what transformers' AutoTokenizer reads beside tokenizer.json.
    static func tokenizerConfigJSON(_ info: GGUFModelInfo) -> OrderedJSON {
        let t = info.tokenizer
        func token(_ id: Int?) -> OrderedJSON {
            guard let id, t.tokens.indices.contains(id) else { return .null }
            return .string(t.tokens[id])
        }
        var members: [(String, OrderedJSON)] = [
            ("add_bos_token", .bool(t.addBOSToken ?? false)),
            ("add_eos_token", .bool(t.addEOSToken ?? false)),
            ("added_tokens_decoder", .object(addedTokens(t).map { token in
                (String(token.id), .object([("content", .string(token.content)), ("lstrip", .bool(false)),
                                            ("normalized", .bool(!token.special)), ("rstrip", .bool(false)),
                                            ("single_word", .bool(false)), ("special", .bool(token.special))]))
            })),
            ("bos_token", token(t.bosTokenID)),
            ("eos_token", token(t.eosTokenID)),
            ("pad_token", token(t.paddingTokenID)),
            ("unk_token", token(t.unknownTokenID)),
        ]
        if let template = info.chatTemplate { members.append(("chat_template", .string(template))) }
        members += [
            ("clean_up_tokenization_spaces", .bool(false)),
            ("model_max_length", .int(info.contextLength)),
            ("tokenizer_class", .string("PreTrainedTokenizerFast")),
        ]
        return .object(members)
    }

    /// Control tokens (special) and user-defined ones (not special), plus the BOS/EOS/pad/unknown
    /// tokens, which are special whatever their GGUF type says.
    static func addedTokens(_ t: GGUFModelInfo.Tokenizer) -> [BPETokenizer.AddedToken] {
        let specialIDs = Set([t.bosTokenID, t.eosTokenID, t.paddingTokenID, t.unknownTokenID].compactMap { $0 })
        var out: [BPETokenizer.AddedToken] = []
        for (id, token) in t.tokens.enumerated() {
            let type = t.tokenTypes?[id]
            let special = type == BPETokenizer.TokenType.control.rawValue || specialIDs.contains(id)
            if special || type == BPETokenizer.TokenType.userDefined.rawValue {
                out.append(BPETokenizer.AddedToken(content: token, id: Int32(id), special: special))
            }
        }
        return out
    }

    /// The `pre_tokenizer` that splits as `pre` does. Hugging Face maps bytes to characters in its
    /// ByteLevel step, so the sequence always ends with one: with its own GPT-2 regex when that is
    /// the last split, else after the family's Split with use_regex off.
    static func preTokenizerJSON(_ pre: PreTokenizer) -> OrderedJSON {
        var steps: [OrderedJSON] = []
        func byteLevel(useRegex: Bool) -> OrderedJSON {
            .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)), ("trim_offsets", .bool(true)),
                     ("use_regex", .bool(useRegex))])
        }
        var endsWithByteLevel = false
        for (index, step) in pre.steps.enumerated() {
            switch step {
            case .digits(let individual):
                steps.append(.object([("type", .string("Digits")), ("individual_digits", .bool(individual))]))
            case .pattern(.gpt2) where index == pre.steps.count - 1:
                steps.append(byteLevel(useRegex: true))
                endsWithByteLevel = true
            case .pattern(let pattern):
                steps.append(.object([("type", .string("Split")), ("pattern", .object([("Regex", .string(pattern.regex))])),
                                      ("behavior", .string("Isolated")), ("invert", .bool(false))]))
            }
        }
        if !endsWithByteLevel { steps.append(byteLevel(useRegex: false)) }
        return steps.count == 1 ? steps[0] : .object([("type", .string("Sequence")), ("pretokenizers", .array(steps))])
    }

    /// BOS/EOS added around every encoded text when the GGUF asks for them (TemplateProcessing),
    /// else plain ByteLevel post-processing.
    static func postProcessor(_ t: GGUFModelInfo.Tokenizer, file: String) throws -> OrderedJSON {
        let addBOS = t.addBOSToken ?? false, addEOS = t.addEOSToken ?? false
        guard addBOS || addEOS else {
            return .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(false)), ("trim_offsets", .bool(false)),
                            ("use_regex", .bool(false))])
        }
        func special(_ id: Int?, _ what: String) throws -> (String, Int) {
            guard let id, t.tokens.indices.contains(id) else {
                throw ModelConversionError(file: file, "the tokenizer adds a \(what) token but has no valid \(what) token id")
            }
            return (t.tokens[id], id)
        }
        var bos: (String, Int)?, eos: (String, Int)?
        if addBOS { bos = try special(t.bosTokenID, "BOS") }
        if addEOS { eos = try special(t.eosTokenID, "EOS") }
        func piece(_ token: (String, Int)) -> OrderedJSON {
            .object([("SpecialToken", .object([("id", .string(token.0)), ("type_id", .int(0))]))])
        }
        func sequence(_ id: String) -> OrderedJSON {
            .object([("Sequence", .object([("id", .string(id)), ("type_id", .int(0))]))])
        }
        let single = [bos.map(piece), sequence("A"), eos.map(piece)].compactMap { $0 }
        let pair = [bos.map(piece), sequence("A"), eos.map(piece), bos.map(piece), sequence("B"), eos.map(piece)].compactMap { $0 }
        let specials = [bos, eos].compactMap { $0 }.reduce(into: [(String, OrderedJSON)]()) { out, token in
            if !out.contains(where: { $0.0 == token.0 }) {
                out.append((token.0, .object([("id", .string(token.0)), ("ids", .array([.int(token.1)])),
                                              ("tokens", .array([.string(token.0)]))])))
            }
        }
        return .object([("type", .string("TemplateProcessing")), ("single", .array(single)), ("pair", .array(pair)),
                        ("special_tokens", .object(specials))])
    }
}
