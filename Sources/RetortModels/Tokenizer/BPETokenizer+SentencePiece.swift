// Building a SentencePiece-style BPE tokenizer (Llama 2, Mistral): tokens spelled with "▁" for
// spaces, 256 <0xXX> byte tokens for characters outside the vocabulary, and merges either implied
// by piece scores (SentencePiece's own rule, as GGUF stores it) or listed by rank (tokenizer.json).

extension BPETokenizer {
    /// A vocabulary as llama.cpp stores it (tokenizer.ggml.model "llama"): there is no merge
    /// list; two adjacent symbols merge when their concatenation is a piece, the piece with the
    /// highest score first and the leftmost pair on equal scores (SentencePiece's BPE rule).
    /// - Parameters:
    ///   - tokenTypes: GGUF token types (0…6); byte tokens (6) must be spelled <0xXX>; control
    ///     and unknown tokens become special added tokens, user-defined ones plain added tokens.
    ///     Without types, tokens spelled <0xXX> are the byte tokens and no token is special.
    public init(
        sentencePieceTokens tokens: [String], scores: [Float], tokenTypes: [Int32]?, bosID: Int32? = nil, eosID: Int32? = nil,
        padID: Int32? = nil, unknownID: Int32? = nil, addBOS: Bool = false, addEOS: Bool = false, options: SentencePieceOptions
    ) throws(TokenizerError) {
        let ids = try Self.checkedVocabulary(
            tokens, tokenTypes: tokenTypes, specialIDs: [("bos", bosID), ("eos", eosID), ("pad", padID), ("unknown", unknownID)],
            addBOS: addBOS, addEOS: addEOS)
        guard scores.count == tokens.count else {
            throw .invalidField("scores", reason: "\(scores.count) scores for \(tokens.count) tokens; there must be one per token")
        }
        if let bad = scores.firstIndex(where: \.isNaN) { throw .invalidField("scores", reason: "the score of token \(bad) is NaN") }
        if let tokenTypes {
            for (id, type) in tokenTypes.enumerated() where TokenType(rawValue: type) == nil {
                throw .invalidField("token types", reason: "token \(id) (\"\(tokens[id])\") has type \(type); known types are 0 to 6")
            }
        }
        let byteIDs = try Self.byteTokens(tokens, tokenTypes: tokenTypes, ids: ids, requireAll: false)
        if byteIDs.allSatisfy({ $0 == nil }) && unknownID == nil {
            throw .invalidField("tokens", reason: "there are no <0xXX> byte tokens and no unknown token, so text outside the vocabulary could not be encoded")
        }

        // Merge results are ordinary pieces, never control, unknown or byte tokens: plain text
        // must not turn into a control token by merging.
        let pieceTypes = Set([TokenType.undefined, .normal, .userDefined, .unused].map(\.rawValue))
        func isPiece(_ id: Int32) -> Bool {
            guard let tokenTypes else { return true }
            return pieceTypes.contains(tokenTypes[Int(id)])
        }
        let pieceScores = tokens.indices.filter { isPiece(Int32($0)) }.map { scores[$0] }
        var rankOfScore: [Float: Int32] = [:]
        for (rank, score) in Set(pieceScores).sorted(by: >).enumerated() { rankOfScore[score] = Int32(rank) }
        var table: [UInt64: BPEMerges.Merge] = [:]
        for (index, token) in tokens.enumerated() where isPiece(Int32(index)) && ids[token] == Int32(index) {
            let scalars = Array(token.unicodeScalars)
            guard scalars.count > 1, let rank = rankOfScore[scores[index]] else { continue }
            for split in 1..<scalars.count {
                guard let l = ids[String(String.UnicodeScalarView(scalars[..<split]))], isPiece(l),
                      let r = ids[String(String.UnicodeScalarView(scalars[split...]))], isPiece(r) else { continue }
                table[BPEMerges.key(l, r)] = .init(rank: rank, result: Int32(index))
            }
        }
        let added = try Self.collectAddedTokens(tokens: tokens, tokenTypes: tokenTypes, addedTokens: [], specialTypes: [.control, .unknown])
        self.init(
            tokens: tokens, ids: ids, merges: BPEMerges(table: table), byteIDs: byteIDs,
            tokenBytes: Self.sentencePieceSpelling(tokens, byteIDs: byteIDs), addedTokens: added, bosID: bosID, eosID: eosID,
            padID: padID, unknownID: unknownID, addBOS: addBOS, addEOS: addEOS, preTokenizer: PreTokenizer(steps: []),
            ignoreMerges: false, normalizeNFC: false, sentencePiece: options)
    }

    /// A vocabulary with ranked merges and byte fallback (a tokenizer.json BPE model with
    /// `byte_fallback`): merges apply by rank, as the Hugging Face BPE model does; all 256
    /// <0xXX> tokens must be present.
    public init(
        sentencePieceTokens tokens: [String], mergePairs: [(String, String)], addedTokens: [AddedToken] = [], bosID: Int32? = nil,
        eosID: Int32? = nil, padID: Int32? = nil, unknownID: Int32? = nil, addBOS: Bool = false, addEOS: Bool = false,
        options: SentencePieceOptions
    ) throws(TokenizerError) {
        let ids = try Self.checkedVocabulary(
            tokens, tokenTypes: nil, specialIDs: [("bos", bosID), ("eos", eosID), ("pad", padID), ("unknown", unknownID)],
            addBOS: addBOS, addEOS: addEOS)
        var table: [UInt64: BPEMerges.Merge] = [:]
        table.reserveCapacity(mergePairs.count)
        for (rank, (left, right)) in mergePairs.enumerated() {
            let merge = try Self.checkedMerge(left, right, index: rank, ids: ids)
            if table[merge.key] == nil { table[merge.key] = .init(rank: Int32(rank), result: merge.result) }
        }
        let byteIDs = try Self.byteTokens(tokens, tokenTypes: nil, ids: ids, requireAll: true)
        let added = try Self.collectAddedTokens(tokens: tokens, tokenTypes: nil, addedTokens: addedTokens, specialTypes: [])
        self.init(
            tokens: tokens, ids: ids, merges: BPEMerges(table: table), byteIDs: byteIDs,
            tokenBytes: Self.sentencePieceSpelling(tokens, byteIDs: byteIDs), addedTokens: added, bosID: bosID, eosID: eosID,
            padID: padID, unknownID: unknownID, addBOS: addBOS, addEOS: addEOS, preTokenizer: PreTokenizer(steps: []),
            ignoreMerges: false, normalizeNFC: false, sentencePiece: options)
    }

    /// The spelling "<0x41>" of a byte token.
    static func byteTokenName(_ byte: Int) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    /// The byte a token spelled "<0xXX>" stands for.
    static func byteOfTokenName(_ token: String) -> UInt8? {
        let u = Array(token.utf8)
        guard u.count == 6, u[0] == UInt8(ascii: "<"), u[1] == UInt8(ascii: "0"), u[2] == UInt8(ascii: "x"), u[5] == UInt8(ascii: ">")
        else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }

    /// The byte token of each byte value. With token types, the tokens of type byte (which must be
    /// spelled <0xXX>); without, the tokens so spelled. A vocabulary has all 256 or none.
    static func byteTokens(_ tokens: [String], tokenTypes: [Int32]?, ids: [String: Int32], requireAll: Bool) throws(TokenizerError) -> [Int32?] {
        var byteIDs = [Int32?](repeating: nil, count: 256)
        if let tokenTypes {
            for (id, type) in tokenTypes.enumerated() where type == TokenType.byte.rawValue {
                guard let byte = byteOfTokenName(tokens[id]) else {
                    throw .invalidField("tokens", reason: "token \(id) \"\(tokens[id])\" has the byte type but is not spelled <0xXX>")
                }
                if byteIDs[Int(byte)] == nil { byteIDs[Int(byte)] = Int32(id) }
            }
        } else {
            for byte in 0..<256 { byteIDs[byte] = ids[byteTokenName(byte)] }
        }
        let found = byteIDs.count(where: { $0 != nil })
        if found < 256 && (found > 0 || requireAll), let missing = byteIDs.firstIndex(where: { $0 == nil }) {
            throw .invalidField("tokens", reason: "byte fallback needs all 256 byte tokens; \(found) are present and \(byteTokenName(missing)) is missing")
        }
        return byteIDs
    }

    /// What each token decodes to: a byte token its byte, any other its text with "▁" as a space.
    static func sentencePieceSpelling(_ tokens: [String], byteIDs: [Int32?]) -> [[UInt8]] {
        var spelling = tokens.map { token in
            Array(String(String.UnicodeScalarView(token.unicodeScalars.map { $0 == SentencePieceOptions.space ? " " : $0 })).utf8)
        }
        for (byte, id) in byteIDs.enumerated() { if let id { spelling[Int(id)] = [UInt8(byte)] } }
        return spelling
    }
}
