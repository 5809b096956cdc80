// Byte-level BPE on a tiny hand-built vocabulary: merge order by rank, added and special tokens,
// BOS/EOS, decoding with and without specials, and the streaming decoder's hold-back of
// incomplete UTF-8 sequences.
@testable import RetortModels
import Testing

@Suite struct TokenizerBPETests {
    @Test func byteMappingCoversAllBytesOnce() {
        let table = ByteLevelMapping.byteToScalar
        #expect(Set(table).count == 256)
        #expect(table[Int(UInt8(ascii: " "))] == "Ġ")
        #expect(table[Int(UInt8(ascii: "\n"))] == "Ċ")
        #expect(table[Int(UInt8(ascii: "A"))] == "A")
        #expect(ByteLevelMapping.decode(ByteLevelMapping.encode([0, 32, 200, 255])) == [0, 32, 200, 255])
    }

    @Test func mergesApplyByRank() throws {
        let t = try TokenizerFixtures.tinyTokenizer()
        #expect(t.encodeToTokens("hello world") == ["hello", "Ġworld"])
        #expect(t.encodeToTokens("hell") == ["hell"])
        // "he l" outranks "l l", so "hell" wins; without an "h", "l l" applies.
        #expect(t.encodeToTokens("ell") == ["e", "ll"])
        #expect(t.encodeToTokens("lo") == ["l", "o"])
        // Pieces "   " and " x": "Ġ Ġ" (leftmost) then "ĠĠ Ġ"; no merge makes "Ġx".
        #expect(t.encodeToTokens("    x") == ["ĠĠĠ", "Ġ", "x"])
        // One piece of four: after the first "Ġ Ġ", the second "Ġ Ġ" outranks "ĠĠ Ġ".
        #expect(t.encodeToTokens("    ") == ["ĠĠ", "ĠĠ"])
        #expect(t.encode("") == [])
    }

    @Test func specialTokensAreMatchedWholeUnlessDisabled() throws {
        let t = try TokenizerFixtures.tinyTokenizer()
        #expect(t.encode("<|im_start|>hello<|im_end|>") == [1] + t.encode("hello") + [2])
        let plain = t.encode("<|im_start|>", parseSpecial: false)
        #expect(plain.count > 1 && !plain.contains(1))
        // User-defined tokens are always matched; they are not special.
        #expect(t.encode("a<tool>b", parseSpecial: false).contains(3))
        #expect(!t.isSpecial(3) && t.isSpecial(0))
        #expect(try t.decode([1, 3], skipSpecial: true) == "<tool>")
        #expect(try t.decode([1, 3]) == "<|im_start|><tool>")
    }

    @Test func bosIsAddedWhenAsked() throws {
        let t = try TokenizerFixtures.tinyTokenizer(addBOS: true)
        #expect(t.encode("hello") == [1, t.id(of: "hello")!])
        #expect(t.encode("hello", addSpecial: false) == [t.id(of: "hello")!])
    }

    @Test func decodeRejectsBadIDsAndInvalidUTF8() throws {
        let t = try TokenizerFixtures.tinyTokenizer()
        #expect(throws: TokenizerError.idOutOfRange(-1, vocabularySize: t.vocabularySize)) { try t.decode([-1]) }
        #expect(throws: TokenizerError.idOutOfRange(99999, vocabularySize: t.vocabularySize)) { try t.decode([99999]) }
        let ff = t.id(of: String(ByteLevelMapping.byteToScalar[0xFF]))!
        let h = t.id(of: "h")!
        #expect(throws: TokenizerError.invalidUTF8(offset: 1)) { try t.decode([h, ff, h]) }
        #expect(try t.decode([h, ff, h], lossy: true) == "h\u{FFFD}h")
        #expect(try t.decodeBytes([h, ff]) == [0x68, 0xFF])
    }

    @Test func streamingHoldsBackIncompleteSequences() throws {
        let t = try TokenizerFixtures.tinyTokenizer()
        let ids = t.encode("a😀é")
        #expect(ids.count == 7)  // a, four bytes of 😀, two bytes of é
        var decoder = t.makeStreamingDecoder()
        var chunks: [String] = []
        for id in ids { chunks.append(try decoder.push(id)) }
        #expect(chunks == ["a", "", "", "", "😀", "", "é"])
        #expect(decoder.finish() == "")
        var cut = t.makeStreamingDecoder()
        #expect(try cut.push(ids[1]) == "")
        #expect(cut.finish() == "\u{FFFD}")
        #expect(throws: TokenizerError.self) { try cut.push(Int32(t.vocabularySize)) }
    }
}
