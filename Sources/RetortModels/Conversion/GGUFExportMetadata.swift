// What an exported GGUF carries besides its weights and the `<arch>.*` hyper-parameters (which come
// from the model's own config): the tokenizer — every `tokenizer.*` key, the chat template among
// them — and the descriptive `general.*` keys that stay true of a derived model (name, license,
// organization). Taken from the GGUF a model came from, or built from a tokenizer description
// (a Hugging Face folder's tokenizer.json read into GGUFModelInfo).

public struct GGUFExportMetadata: Sendable {
    /// `general.name`.
    public var name: String?
    /// Other `general.*` keys carried over, in order.
    public var general: [GGUFMetadataEntry]
    /// Every `tokenizer.*` key, in order.
    public var tokenizer: [GGUFMetadataEntry]

    /// `general.*` keys that describe the model's origin rather than its shape or quantization
    /// (a student with fewer layers keeps its teacher's license, not its size label).
    static let carriedGeneralKeys: Set<String> = [
        "general.license", "general.license.name", "general.license.link", "general.organization", "general.author",
        "general.basename", "general.languages", "general.tags", "general.url", "general.repo_url",
    ]

    public init(name: String?, general: [GGUFMetadataEntry] = [], tokenizer: [GGUFMetadataEntry]) {
        self.name = name
        self.general = general
        self.tokenizer = tokenizer
    }

    /// The metadata of `file`: its tokenizer keys verbatim (also ones this code does not read, such
    /// as scores or added-token lists), its name and its license/origin keys.
    public init(from file: GGUFFile) throws {
        name = try? file.string("general.name")
        general = file.metadataKeys.filter(Self.carriedGeneralKeys.contains).map { GGUFMetadataEntry($0, file.metadata[$0]!) }
        tokenizer = file.metadataKeys.filter { $0.hasPrefix("tokenizer.") }.map { GGUFMetadataEntry($0, file.metadata[$0]!) }
        guard file.metadata["tokenizer.ggml.tokens"] != nil, file.metadata["tokenizer.ggml.model"] != nil else {
            throw ModelConversionError(
                file: file.path, "has no tokenizer (tokenizer.ggml.model and tokenizer.ggml.tokens); an exported model needs one")
        }
    }

    /// The tokenizer keys llama.cpp reads, written from a tokenizer description. Byte-level BPE
    /// needs a pre-tokenizer name llama.cpp knows (`tokenizer.ggml.pre`).
    public init(info: GGUFModelInfo, name: String?, source: String) throws {
        let t = info.tokenizer
        guard let pre = t.pre else {
            throw ModelConversionError(
                file: source, "the tokenizer's pre-tokenizer has no llama.cpp name (smollm, gpt2, llama-bpe, qwen2); it cannot be written to GGUF")
        }
        var entries: [GGUFMetadataEntry] = [
            .init("tokenizer.ggml.model", .string(t.model)),
            .init("tokenizer.ggml.pre", .string(pre)),
            .init("tokenizer.ggml.tokens", .array(.string(t.tokens))),
        ]
        if let types = t.tokenTypes { entries.append(.init("tokenizer.ggml.token_type", .array(.int32(types)))) }
        entries.append(.init("tokenizer.ggml.merges", .array(.string(t.merges))))
        let ids: [(String, Int?)] = [("bos", t.bosTokenID), ("eos", t.eosTokenID), ("unknown", t.unknownTokenID), ("padding", t.paddingTokenID)]
        for (key, id) in ids {
            guard let id else { continue }
            guard let value = UInt32(exactly: id) else {
                throw ModelConversionError(file: source, "the \(key) token id \(id) is not a valid token id")
            }
            entries.append(.init("tokenizer.ggml.\(key)_token_id", .uint32(value)))
        }
        if let add = t.addBOSToken { entries.append(.init("tokenizer.ggml.add_bos_token", .bool(add))) }
        if let add = t.addEOSToken { entries.append(.init("tokenizer.ggml.add_eos_token", .bool(add))) }
        if let template = info.chatTemplate { entries.append(.init("tokenizer.chat_template", .string(template))) }
        self.init(name: name, tokenizer: entries)
    }

    /// The value stored under a tokenizer key.
    public func tokenizerValue(_ key: String) -> GGUFValue? { tokenizer.first { $0.key == key }?.value }
}

/// One metadata key and its value.
public struct GGUFMetadataEntry: Sendable, Equatable {
    public var key: String
    public var value: GGUFValue

    public init(_ key: String, _ value: GGUFValue) {
        self.key = key
        self.value = value
    }
}
