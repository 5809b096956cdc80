// A BPE tokenizer built from plain inputs: the token strings, merges, optional GGUF token types,
// added tokens and special ids. Byte-level vocabularies (GPT-2 family: SmolLM, Llama 3, Qwen 2, …)
// split text around added tokens, pre-tokenize it, map it to byte characters and merge by rank;
// SentencePiece-style ones (Llama 2, Mistral) are built by BPETokenizer+SentencePiece.swift.

public struct BPETokenizer: Sendable {
    /// GGUF `tokenizer.ggml.token_type` values.
    public enum TokenType: Int32, Sendable {
        case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// A token matched as a whole in the input before pre-tokenization. `special` ones (control
    /// tokens such as "<|im_start|>") are matched only when encoding with `parseSpecial`, and
    /// can be skipped when decoding; the others (user-defined) are always matched.
    public struct AddedToken: Sendable, Hashable {
        public var content: String
        public var id: Int32
        public var special: Bool

        public init(content: String, id: Int32, special: Bool) {
            self.content = content
            self.id = id
            self.special = special
        }
    }

    public let tokens: [String]
    public let addedTokens: [AddedToken]
    public let preTokenizer: PreTokenizer
    public var bosID: Int32?
    public var eosID: Int32?
    public var padID: Int32?
    /// Prepend `bosID` / append `eosID` when encoding with `addSpecial`.
    public var addBOS: Bool
    public var addEOS: Bool
    /// Take a whole piece as one token when it is in the vocabulary, before merging (Llama 3).
    public let ignoreMerges: Bool
    /// Compose text to NFC before encoding (Qwen 2's normalizer).
    public let normalizeNFC: Bool
    /// How a SentencePiece-style vocabulary spells text ("▁" for spaces, <0xXX> byte tokens);
    /// nil for byte-level BPE.
    public let sentencePiece: SentencePieceOptions?
    /// The token for text the vocabulary cannot spell (SentencePiece-style vocabularies only).
    public let unknownID: Int32?

    let tokenIDs: [String: Int32]
    let merges: BPEMerges
    let byteIDs: [Int32?]
    let tokenBytes: [[UInt8]]
    let specialIDs: Set<Int32>
    let matcher: AddedTokenMatcher

    public var vocabularySize: Int { tokens.count }

    /// - Parameters:
    ///   - tokens: token strings in byte-level spelling, indexed by id.
    ///   - merges: "left right" pairs, highest priority first (split at the first space after
    ///     the first character, as llama.cpp does).
    ///   - tokenTypes: GGUF token types; control tokens become special added tokens and
    ///     user-defined ones plain added tokens.
    ///   - addedTokens: further added tokens (as in tokenizer.json `added_tokens`).
    public init(
        tokens: [String], merges: [String], tokenTypes: [Int32]? = nil, addedTokens: [AddedToken] = [],
        bosID: Int32? = nil, eosID: Int32? = nil, padID: Int32? = nil, addBOS: Bool = false, addEOS: Bool = false,
        preTokenizer: PreTokenizer, ignoreMerges: Bool = false, normalizeNFC: Bool = false
    ) throws(TokenizerError) {
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(merges.count)
        for (index, merge) in merges.enumerated() {
            let scalars = merge.unicodeScalars
            guard !scalars.isEmpty, let space = scalars[scalars.index(after: scalars.startIndex)...].firstIndex(of: " ")
            else { throw .invalidMerge(index: index, merge: merge, reason: "expected two tokens separated by a space") }
            pairs.append((String(scalars[..<space]), String(scalars[scalars.index(after: space)...])))
        }
        try self.init(
            tokens: tokens, mergePairs: pairs, tokenTypes: tokenTypes, addedTokens: addedTokens, bosID: bosID,
            eosID: eosID, padID: padID, addBOS: addBOS, addEOS: addEOS, preTokenizer: preTokenizer,
            ignoreMerges: ignoreMerges, normalizeNFC: normalizeNFC)
    }

    /// As above, with merges given as pairs (tokenizer.json's newer format).
    public init(
        tokens: [String], mergePairs: [(String, String)], tokenTypes: [Int32]? = nil, addedTokens: [AddedToken] = [],
        bosID: Int32? = nil, eosID: Int32? = nil, padID: Int32? = nil, addBOS: Bool = false, addEOS: Bool = false,
        preTokenizer: PreTokenizer, ignoreMerges: Bool = false, normalizeNFC: Bool = false
    ) throws(TokenizerError) {
        let ids = try Self.checkedVocabulary(
            tokens, tokenTypes: tokenTypes, specialIDs: [("bos", bosID), ("eos", eosID), ("pad", padID)], addBOS: addBOS, addEOS: addEOS)
        var table: [UInt64: BPEMerges.Merge] = [:]
        table.reserveCapacity(mergePairs.count)
        for (rank, (left, right)) in mergePairs.enumerated() {
            let merge = try Self.checkedMerge(left, right, index: rank, ids: ids)
            if table[merge.key] == nil { table[merge.key] = .init(rank: Int32(rank), result: merge.result) }
        }
        // Bytes without a token are dropped when encoding, as Hugging Face (without an unknown
        // token) and llama.cpp do; SmolLM2 lacks a few control bytes and the non-UTF-8 bytes.
        let byteIDs: [Int32?] = (0...255).map { ids[String(ByteLevelMapping.byteToScalar[$0])] }
        let added = try Self.collectAddedTokens(tokens: tokens, tokenTypes: tokenTypes, addedTokens: addedTokens, specialTypes: [.control])
        self.init(
            tokens: tokens, ids: ids, merges: BPEMerges(table: table), byteIDs: byteIDs, tokenBytes: tokens.map(ByteLevelMapping.decode),
            addedTokens: added, bosID: bosID, eosID: eosID, padID: padID, unknownID: nil, addBOS: addBOS, addEOS: addEOS,
            preTokenizer: preTokenizer, ignoreMerges: ignoreMerges, normalizeNFC: normalizeNFC, sentencePiece: nil)
    }

    /// Every field, checked and built by the public initializers. `tokenBytes` is the spelling of
    /// each token; added tokens are spelled by their content.
    init(
        tokens: [String], ids: [String: Int32], merges: BPEMerges, byteIDs: [Int32?], tokenBytes: [[UInt8]],
        addedTokens: [AddedToken], bosID: Int32?, eosID: Int32?, padID: Int32?, unknownID: Int32?, addBOS: Bool, addEOS: Bool,
        preTokenizer: PreTokenizer, ignoreMerges: Bool, normalizeNFC: Bool, sentencePiece: SentencePieceOptions?
    ) {
        var bytesTable = tokenBytes
        for token in addedTokens { bytesTable[Int(token.id)] = Array(token.content.utf8) }
        self.tokens = tokens
        self.addedTokens = addedTokens
        self.preTokenizer = preTokenizer
        self.bosID = bosID
        self.eosID = eosID
        self.padID = padID
        self.unknownID = unknownID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.ignoreMerges = ignoreMerges
        self.normalizeNFC = normalizeNFC
        self.sentencePiece = sentencePiece
        self.tokenIDs = ids
        self.merges = merges
        self.byteIDs = byteIDs
        self.tokenBytes = bytesTable
        self.specialIDs = Set(addedTokens.filter(\.special).map(\.id))
        self.matcher = AddedTokenMatcher(addedTokens)
    }

    /// The id of a token string (in byte-level spelling), if it is in the vocabulary.
    public func id(of token: String) -> Int32? { tokenIDs[token] }

    /// The bytes the vocabulary has no token for: encoding drops them.
    public var unrepresentableBytes: [UInt8] {
        (0...255).compactMap { byteIDs[$0] == nil ? UInt8($0) : nil }
    }

    /// Whether an id is a special (control) token.
    public func isSpecial(_ id: Int32) -> Bool { specialIDs.contains(id) }
}
