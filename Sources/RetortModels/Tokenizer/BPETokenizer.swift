// A byte-level BPE tokenizer (GPT-2 family: SmolLM, Llama 3, Qwen 2, …) built from plain inputs:
// the token strings, merges, optional GGUF token types, added tokens and special ids. Text is
// split around added tokens, pre-tokenized, mapped to byte characters and merged by rank.

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
        let count = tokens.count
        guard count > 0 else { throw .missingField("tokens (the vocabulary is empty)") }
        guard count <= Int(Int32.max) else { throw .invalidField("tokens", reason: "more than Int32.max tokens") }
        if let tokenTypes, tokenTypes.count != count {
            throw .invalidField("token types", reason: "\(tokenTypes.count) types for \(count) tokens")
        }
        for (name, id) in [("bos", bosID), ("eos", eosID), ("pad", padID)] {
            if let id, id < 0 || Int(id) >= count { throw .invalidField("\(name) id", reason: "\(id) is outside 0..<\(count)") }
        }
        if addBOS && bosID == nil { throw .invalidField("add bos", reason: "no bos id is set") }
        if addEOS && eosID == nil { throw .invalidField("add eos", reason: "no eos id is set") }

        var ids: [String: Int32] = [:]
        ids.reserveCapacity(count)
        for (id, token) in tokens.enumerated() { ids[token] = Int32(id) }

        var table: [UInt64: BPEMerges.Merge] = [:]
        table.reserveCapacity(mergePairs.count)
        for (rank, (left, right)) in mergePairs.enumerated() {
            let text = left + " " + right
            guard let l = ids[left] else { throw .invalidMerge(index: rank, merge: text, reason: "\"\(left)\" is not in the vocabulary") }
            guard let r = ids[right] else { throw .invalidMerge(index: rank, merge: text, reason: "\"\(right)\" is not in the vocabulary") }
            guard let result = ids[left + right] else {
                throw .invalidMerge(index: rank, merge: text, reason: "the merged token \"\(left + right)\" is not in the vocabulary")
            }
            let key = BPEMerges.key(l, r)
            if table[key] == nil { table[key] = .init(rank: Int32(rank), result: result) }
        }

        // Bytes without a token are dropped when encoding, as Hugging Face (without an unknown
        // token) and llama.cpp do; SmolLM2 lacks a few control bytes and the non-UTF-8 bytes.
        let byteIDs: [Int32?] = (0...255).map { ids[String(ByteLevelMapping.byteToScalar[$0])] }

        var added: [AddedToken] = []
        var seen = Set<Int32>()
        if let tokenTypes {
            for (id, type) in tokenTypes.enumerated() where type == TokenType.control.rawValue || type == TokenType.userDefined.rawValue {
                added.append(AddedToken(content: tokens[id], id: Int32(id), special: type == TokenType.control.rawValue))
                seen.insert(Int32(id))
            }
        }
        for token in addedTokens {
            guard token.id >= 0 && Int(token.id) < count else {
                throw .invalidField("added token \"\(token.content)\"", reason: "id \(token.id) is outside 0..<\(count)")
            }
            guard !token.content.isEmpty else { throw .invalidField("added token \(token.id)", reason: "empty content") }
            if seen.insert(token.id).inserted { added.append(token) }
        }

        var bytesTable: [[UInt8]] = tokens.map(ByteLevelMapping.decode)
        for token in added { bytesTable[Int(token.id)] = Array(token.content.utf8) }

        self.tokens = tokens
        self.addedTokens = added
        self.preTokenizer = preTokenizer
        self.bosID = bosID
        self.eosID = eosID
        self.padID = padID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.ignoreMerges = ignoreMerges
        self.normalizeNFC = normalizeNFC
        self.tokenIDs = ids
        self.merges = BPEMerges(table: table)
        self.byteIDs = byteIDs
        self.tokenBytes = bytesTable
        self.specialIDs = Set(added.filter(\.special).map(\.id))
        self.matcher = AddedTokenMatcher(added)
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
