// The checks and tables both kinds of BPE vocabulary share when a tokenizer is built: the token
// list, special ids, merges naming known tokens, and the added tokens taken from token types.

extension BPETokenizer {
    /// The id of every token string, after checking the vocabulary, its types and the special ids.
    static func checkedVocabulary(
        _ tokens: [String], tokenTypes: [Int32]?, specialIDs: [(String, Int32?)], addBOS: Bool, addEOS: Bool
    ) throws(TokenizerError) -> [String: Int32] {
        let count = tokens.count
        guard count > 0 else { throw .missingField("tokens (the vocabulary is empty)") }
        guard count <= Int(Int32.max) else { throw .invalidField("tokens", reason: "more than Int32.max tokens") }
        if let tokenTypes, tokenTypes.count != count {
            throw .invalidField("token types", reason: "\(tokenTypes.count) types for \(count) tokens")
        }
        for (name, id) in specialIDs {
            if let id, id < 0 || Int(id) >= count { throw .invalidField("\(name) id", reason: "\(id) is outside 0..<\(count)") }
        }
        let bos = specialIDs.first { $0.0 == "bos" }?.1, eos = specialIDs.first { $0.0 == "eos" }?.1
        if addBOS && bos == nil { throw .invalidField("add bos", reason: "no bos id is set") }
        if addEOS && eos == nil { throw .invalidField("add eos", reason: "no eos id is set") }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(count)
        for (id, token) in tokens.enumerated() { ids[token] = Int32(id) }
        return ids
    }

    /// The table key and result of merge #`index`, whose parts and result must all be tokens.
    static func checkedMerge(_ left: String, _ right: String, index: Int, ids: [String: Int32]) throws(TokenizerError) -> (key: UInt64, result: Int32) {
        let text = left + " " + right
        guard let l = ids[left] else { throw .invalidMerge(index: index, merge: text, reason: "\"\(left)\" is not in the vocabulary") }
        guard let r = ids[right] else { throw .invalidMerge(index: index, merge: text, reason: "\"\(right)\" is not in the vocabulary") }
        guard let result = ids[left + right] else {
            throw .invalidMerge(index: index, merge: text, reason: "the merged token \"\(left + right)\" is not in the vocabulary")
        }
        return (BPEMerges.key(l, r), result)
    }

    /// Tokens whose GGUF type is in `specialTypes` become special added tokens, user-defined ones
    /// plain added tokens; then `addedTokens` (tokenizer.json's list) for ids not already taken.
    static func collectAddedTokens(
        tokens: [String], tokenTypes: [Int32]?, addedTokens: [AddedToken], specialTypes: Set<TokenType>
    ) throws(TokenizerError) -> [AddedToken] {
        var added: [AddedToken] = []
        var seen = Set<Int32>()
        let special = Set(specialTypes.map(\.rawValue))
        if let tokenTypes {
            for (id, type) in tokenTypes.enumerated() where special.contains(type) || type == TokenType.userDefined.rawValue {
                added.append(AddedToken(content: tokens[id], id: Int32(id), special: special.contains(type)))
                seen.insert(Int32(id))
            }
        }
        for token in addedTokens {
            guard token.id >= 0 && Int(token.id) < tokens.count else {
                throw .invalidField("added token \"\(token.content)\"", reason: "id \(token.id) is outside 0..<\(tokens.count)")
            }
            guard !token.content.isEmpty else { throw .invalidField("added token \(token.id)", reason: "empty content") }
            if seen.insert(token.id).inserted { added.append(token) }
        }
        return added
    }
}
