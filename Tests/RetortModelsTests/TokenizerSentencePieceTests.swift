// SentencePiece-style BPE on tiny hand-built vocabularies: merges by piece score with ties to the
// leftmost pair, the "▁" prefix, byte and unknown fallback, special tokens, the leading space
// dropped when decoding, streaming decode of byte tokens, and routing from GGUF metadata.
@testable import RetortModels
import Testing

@Suite struct TokenizerSentencePieceTests {
    /// <unk>, <s>, </s>, the 256 byte tokens, then `pieces` (text, score) as normal tokens.
    static func vocabulary(_ pieces: [(String, Float)], bytes: Bool = true) -> GGUFModelInfo.Tokenizer {
        var tokens = ["<unk>", "<s>", "</s>"], types: [Int32] = [2, 3, 3], scores: [Float] = [0, 0, 0]
        if bytes {
            tokens += (0..<256).map(BPETokenizer.byteTokenName)
            types += Array(repeating: 6, count: 256)
            scores += Array(repeating: 0, count: 256)
        }
        tokens += pieces.map(\.0)
        types += Array(repeating: 1, count: pieces.count)
        scores += pieces.map(\.1)
        return GGUFModelInfo.Tokenizer(
            model: "llama", pre: nil, tokens: tokens, tokenTypes: types, merges: [], bosTokenID: 1, eosTokenID: 2,
            paddingTokenID: nil, unknownTokenID: 0, addBOSToken: true, addEOSToken: false, scores: scores, addSpacePrefix: true)
    }

    static let pieces: [(String, Float)] = [
        ("▁", -1), ("a", -2), ("b", -3), ("c", -4), ("h", -5), ("i", -6), ("▁h", -7), ("hi", -8), ("▁hi", -9),
        ("ab", -10), ("bc", -10), ("aa", -11), ("<", -12), ("s", -13), (">", -14), ("<s", -15), ("▁▁", -16),
    ]

    static func tokenizer(prefix: Bool = true) throws -> BPETokenizer {
        var v = vocabulary(pieces)
        v.addSpacePrefix = prefix
        return try BPETokenizer(gguf: v)
    }

    @Test func theHighestScoringPieceMergesFirst() throws {
        let t = try Self.tokenizer()
        // "▁h" (-7) beats "hi" (-8), then "▁h"+"i" makes "▁hi".
        #expect(t.encodeToTokens("hi") == ["▁hi"])
        let noPrefix = try Self.tokenizer(prefix: false)
        #expect(noPrefix.encodeToTokens("hi") == ["hi"])
        // "ab" and "bc" score alike: the leftmost pair merges.
        #expect(noPrefix.encodeToTokens("abc") == ["ab", "c"])
        #expect(noPrefix.encodeToTokens("aaa") == ["aa", "a"])
        #expect(noPrefix.encode("") == [1] && noPrefix.encode("", addSpecial: false) == [])
    }

    @Test func spacesAreWrittenAsLowOneEighthBlocksWithAPrefix() throws {
        let t = try Self.tokenizer()
        #expect(t.encodeToTokens("a b") == ["▁", "a", "▁", "b"])
        // "▁h" outscores "▁▁", so the second "▁" goes with the word.
        #expect(t.encodeToTokens(" hi") == ["▁", "▁hi"])
        #expect(t.encode("hi") == [1, t.id(of: "▁hi")!])
        #expect(try t.decode(t.encode(" hi ")) == "<s>  hi ")
        #expect(try t.decode(t.encode(" hi "), skipSpecial: true) == " hi ")
    }

    @Test func charactersOutsideTheVocabularyFallBackToBytes() throws {
        let t = try Self.tokenizer(prefix: false)
        #expect(t.encodeToTokens("aé") == ["a", "<0xC3>", "<0xA9>"])
        #expect(t.encodeToTokens("\n") == ["<0x0A>"])
        #expect(try t.decode(t.encode("aé😀b")) == "<s>aé😀b")
        // Byte tokens that do not form UTF-8 decode strictly as an error, lossily as U+FFFD.
        let lone = t.id(of: "<0xC3>")!
        #expect(throws: TokenizerError.invalidUTF8(offset: 1)) { try t.decode([t.id(of: "a")!, lone]) }
        #expect(try t.decode([lone, t.id(of: "a")!], lossy: true) == "\u{FFFD}a")
    }

    @Test func withoutByteTokensUnknownCharactersBecomeTheUnknownToken() throws {
        var v = Self.vocabulary(Self.pieces, bytes: false)
        v.addSpacePrefix = false
        let t = try BPETokenizer(gguf: v)
        #expect(t.encode("aéé", addSpecial: false) == [t.id(of: "a")!, 0, 0])
        #expect(try t.decode([t.id(of: "a")!, 0], skipSpecial: true) == "a")
        let fused = try BPETokenizer(
            sentencePieceTokens: v.tokens, scores: v.scores!, tokenTypes: v.tokenTypes, unknownID: 0,
            options: SentencePieceOptions(spacePrefix: .none, stripsLeadingSpace: false, fusesUnknown: true))
        #expect(fused.encode("aééb") == [t.id(of: "a")!, 0, t.id(of: "b")!])
    }

    @Test func specialTokensAreParsedOnlyWhenAskedAndNeverMergedInto() throws {
        let t = try Self.tokenizer()
        #expect(t.encode("<s>hi</s>", addSpecial: false) == [1, t.id(of: "▁hi")!, 2])
        // Unparsed, "<s>" is plain text: "<s" merges, but never into the control token <s>.
        #expect(t.encodeToTokens("<s>", parseSpecial: false) == ["▁", "<s", ">"])
        #expect(try t.decode(t.encode("<s>", parseSpecial: false)) == "<s> <s>")
        // The prefix space is only dropped when it starts the decoded text, not after a kept <s>.
        #expect(try t.decode(t.encode("hi</s>")) == "<s> hi</s>")
        #expect(try t.decode(t.encode("hi</s>"), skipSpecial: true) == "hi")
    }

    @Test func streamingDecodeHoldsBackPartialCharactersAndStripsThePrefixSpace() throws {
        let t = try Self.tokenizer()
        let ids = t.encode("😀 hi", addSpecial: false)
        #expect(t.encodeToTokens("😀 hi") == ["▁", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "▁hi"])
        var decoder = t.makeStreamingDecoder()
        var chunks: [String] = []
        for id in ids { chunks.append(try decoder.push(id)) }
        #expect(chunks == ["", "", "", "", "😀", " hi"])
        #expect(decoder.finish() == "")
        // After finish the decoder starts a new text, whose prefix space is dropped again.
        #expect(try decoder.push(t.id(of: "▁hi")!) == "hi")
    }

    @Test func ggufModelNamesAreRouted() throws {
        var v = Self.vocabulary(Self.pieces)
        #expect(try BPETokenizer(gguf: v).sentencePiece != nil)
        v.model = "bert"
        #expect(throws: TokenizerError.unsupported(
            component: "tokenizer.ggml.model", value: "\"bert\" (supported: \"gpt2\", byte-level BPE, and \"llama\", SentencePiece BPE)")) {
            try BPETokenizer(gguf: v)
        }
    }

    @Test func absentKeysTakeLlamaCppDefaults() throws {
        var v = Self.vocabulary(Self.pieces)
        (v.bosTokenID, v.eosTokenID, v.unknownTokenID, v.addBOSToken, v.addEOSToken, v.addSpacePrefix) = (nil, nil, nil, nil, nil, nil)
        let t = try BPETokenizer(gguf: v)
        #expect(t.bosID == 1 && t.eosID == 2 && t.unknownID == 0 && t.addBOS && !t.addEOS)
        #expect(t.sentencePiece?.spacePrefix == .everySegment && t.sentencePiece?.stripsLeadingSpace == true)
    }
}
