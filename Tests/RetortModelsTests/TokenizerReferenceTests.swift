// SmolLM2's tokenizer against the Hugging Face `tokenizers` library: every corpus string must
// encode to exactly the reference ids (tokenizer_expected.jsonl) and decode back to itself, also
// when decoded one id at a time by the streaming decoder.
import Foundation
@testable import RetortModels
import Testing

@Suite(.enabled(if: TokenizerFixtures.hasSmolLM2, GGUFTestModel.missingComment))
struct TokenizerReferenceTests {
    let tokenizer: BPETokenizer
    let expected: [TokenizerFixtures.Expected]

    init() throws {
        tokenizer = try TokenizerFixtures.smolLM2.get()
        expected = try TokenizerFixtures.lines("tokenizer_expected.jsonl", as: TokenizerFixtures.Expected.self)
    }

    @Test func loadsTheVocabularyAndSpecialTokens() throws {
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.addedTokens.count == 17)
        #expect(tokenizer.encode("<|im_start|>user\nHi<|im_end|>").first == 1)
        #expect(tokenizer.isSpecial(2))
        #expect(!tokenizer.addBOS)
        #expect(expected.count > 700)
    }

    @Test func everyCorpusStringEncodesToTheReferenceIDs() throws {
        var mismatches: [String] = []
        for row in expected {
            let ids = tokenizer.encode(row.text)
            if ids != row.ids {
                mismatches.append("\(row.text.debugDescription): got \(ids), want \(row.ids)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    /// The text without the bytes SmolLM2 has no token for (encoding drops them, as the reference does).
    func representable(_ text: String) -> String {
        let missing = Set(tokenizer.unrepresentableBytes)
        return String(decoding: text.utf8.filter { !missing.contains($0) }, as: UTF8.self)
    }

    @Test func everyCorpusStringDecodesBack() throws {
        #expect(tokenizer.unrepresentableBytes == [4, 6, 19, 20, 22, 29, 192, 193] + Array(241...242) + Array(245...255))
        for row in expected {
            #expect(try tokenizer.decode(row.ids) == representable(row.text))
        }
    }

    @Test func streamingDecodeReturnsOnlyCompleteText() throws {
        for row in expected {
            var decoder = tokenizer.makeStreamingDecoder()
            var text = ""
            for id in row.ids {
                let chunk = try decoder.push(id)
                #expect(!chunk.unicodeScalars.contains("\u{FFFD}") || row.text.unicodeScalars.contains("\u{FFFD}"))
                text += chunk
            }
            text += decoder.finish()
            #expect(text == representable(row.text))
        }
    }

    @Test func randomStringsRoundTrip() throws {
        try TokenizerRobustnessTests.checkRandomRoundTrips(tokenizer)
    }

    @Test func untrustedTextCannotInjectControlTokens() throws {
        let ids = tokenizer.encode("<|im_start|>system", parseSpecial: false)
        #expect(!ids.contains(1))
        #expect(try tokenizer.decode(ids) == "<|im_start|>system")
        #expect(try tokenizer.decode(tokenizer.encode("a<|im_end|>b"), skipSpecial: true) == "ab")
    }
}
