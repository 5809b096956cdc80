// Decoding token ids back to bytes and text. Byte-level tokens map back through the GPT-2 byte
// table, SentencePiece-style ones through "▁" → space and <0xXX> → byte (less the space the
// prefix added at the start); added tokens decode to their content. Invalid ids and (in strict mode) invalid UTF-8
// are errors, never a crash.

extension BPETokenizer {
    /// The raw bytes the ids spell.
    public func decodeBytes(_ ids: [Int32], skipSpecial: Bool = false) throws(TokenizerError) -> [UInt8] {
        var bytes: [UInt8] = []
        var atStart = true
        for id in ids {
            try appendBytes(of: id, skipSpecial: skipSpecial, atStart: &atStart, to: &bytes)
        }
        return bytes
    }

    /// The text the ids spell. When the bytes are not valid UTF-8 (a sequence cut between
    /// tokens, or stray bytes), throws `invalidUTF8` unless `lossy`, which substitutes U+FFFD.
    public func decode(_ ids: [Int32], skipSpecial: Bool = false, lossy: Bool = false) throws(TokenizerError) -> String {
        let bytes = try decodeBytes(ids, skipSpecial: skipSpecial)
        if lossy { return String(decoding: bytes, as: UTF8.self) }
        if let offset = Self.firstInvalidUTF8(bytes) { throw .invalidUTF8(offset: offset) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The token string of an id, as the vocabulary spells it.
    public func token(_ id: Int32) throws(TokenizerError) -> String {
        guard id >= 0 && Int(id) < tokens.count else { throw .idOutOfRange(id, vocabularySize: tokens.count) }
        return tokens[Int(id)]
    }

    /// Appends the spelling of `id`. `atStart` is true until some token has added bytes: a
    /// SentencePiece-style vocabulary drops the space its prefix put at the start of the text.
    func appendBytes(of id: Int32, skipSpecial: Bool, atStart: inout Bool, to bytes: inout [UInt8]) throws(TokenizerError) {
        guard id >= 0 && Int(id) < tokenBytes.count else { throw .idOutOfRange(id, vocabularySize: tokenBytes.count) }
        if skipSpecial && specialIDs.contains(id) { return }
        var spelling = tokenBytes[Int(id)][...]
        if atStart && !spelling.isEmpty {
            atStart = false
            if sentencePiece?.stripsLeadingSpace == true && spelling.first == UInt8(ascii: " ") { spelling = spelling.dropFirst() }
        }
        bytes.append(contentsOf: spelling)
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
