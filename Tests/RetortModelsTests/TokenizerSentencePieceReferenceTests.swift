// A small SentencePiece BPE vocabulary (trained by Fixtures/make_sentencepiece_fixtures.py) against
// its references: read from GGUF it must encode every corpus string as sentencepiece does (and, with
// special tokens parsed, as llama.cpp does) and decode as sentencepiece does; read from the two
// tokenizer.json forms it must encode and decode as Hugging Face `tokenizers` does.
import Foundation
@testable import RetortModels
import Testing

@Suite struct TokenizerSentencePieceReferenceTests {
    /// One line of sentencepiece_expected.jsonl (field meanings: see the script).
    struct Row: Decodable {
        let text: String
        let spm: [Int32]
        let spm_special: [Int32]
        let spm_decoded: String
        let spm_special_decoded: String
        let hf: [Int32]
        let hf_metaspace: [Int32]
        let hf_decoded: String
        let hf_decoded_skip: String
    }

    static func fixture(_ name: String) -> String { TokenizerFixtures.directory.appendingPathComponent(name).path }

    let rows: [Row]
    let gguf: BPETokenizer

    init() throws {
        rows = try TokenizerFixtures.lines("sentencepiece_expected.jsonl", as: Row.self)
        gguf = try BPETokenizer(gguf: GGUFModelInfo(GGUFFile(path: Self.fixture("sentencepiece_vocab.gguf"))).tokenizer)
    }

    /// "text: got …, want …" for every row where `got` differs from `want`.
    func mismatches<T: Equatable>(_ got: (Row) throws -> T, _ want: (Row) -> T) rethrows -> [String] {
        try rows.compactMap { row in
            let value = try got(row)
            return value == want(row) ? nil : "\(row.text.debugDescription): got \(value), want \(want(row))"
        }
    }

    func expectNone(_ list: [String], _ what: String) {
        #expect(list.isEmpty, "\(list.count) \(what) mismatches:\n\(list.prefix(15).joined(separator: "\n"))")
    }

    @Test func theGGUFVocabularyLoadsAsSentencePiece() throws {
        #expect(rows.count >= 300)
        #expect(gguf.vocabularySize == 1200)
        #expect(gguf.sentencePiece?.spacePrefix == .everySegment)
        #expect(gguf.bosID == 1 && gguf.eosID == 2 && gguf.unknownID == 0 && gguf.addBOS && !gguf.addEOS)
        #expect(gguf.isSpecial(0) && gguf.isSpecial(1) && gguf.isSpecial(2))
        #expect(gguf.unrepresentableBytes.isEmpty)
        // The corpus exercises byte fallback: emoji and rare characters are spelled in <0xXX> tokens.
        let byteTokens = Set((0..<256).compactMap { gguf.id(of: BPETokenizer.byteTokenName($0)) })
        #expect(rows.filter { $0.spm.contains(where: byteTokens.contains) }.count > 50)
        #expect(gguf.encodeToTokens("🦙", parseSpecial: false) == ["▁", "<0xF0>", "<0x9F>", "<0xA6>", "<0x99>"])
    }

    @Test func ggufEncodesAsSentencePieceWithoutSpecialTokens() {
        expectNone(mismatches({ gguf.encode($0.text, parseSpecial: false, addSpecial: false) }, \.spm), "encode")
    }

    @Test func ggufParsesSpecialTokensAsLlamaCpp() {
        expectNone(mismatches({ gguf.encode($0.text, addSpecial: false) }, \.spm_special), "encode (parse special)")
        expectNone(mismatches({ gguf.encode($0.text) }, { [1] + $0.spm_special }), "encode with BOS")
    }

    @Test func ggufDecodesAsSentencePiece() throws {
        expectNone(try mismatches({ try gguf.decode($0.spm) }, \.spm_decoded), "decode")
        // sentencepiece renders <unk> as " ⁇ "; Retort drops it with the other special tokens.
        let withoutUnknown = rows.filter { !$0.spm_special.contains(0) }
        for row in withoutUnknown {
            #expect(try gguf.decode(row.spm_special, skipSpecial: true) == row.spm_special_decoded, "\(row.text.debugDescription)")
        }
        // Everything but a literal "▁" (which decodes to a space) round-trips.
        for row in rows where !row.text.unicodeScalars.contains(SentencePieceOptions.space) {
            #expect(row.spm_decoded == row.text)
        }
    }

    @Test func ggufStreamingDecodeMatchesWholeDecode() throws {
        for row in rows {
            var decoder = gguf.makeStreamingDecoder()
            var text = ""
            for id in row.spm {
                let chunk = try decoder.push(id)
                #expect(!chunk.unicodeScalars.contains("\u{FFFD}"), "\(row.text.debugDescription)")
                text += chunk
            }
            text += decoder.finish()
            #expect(text == row.spm_decoded)
        }
    }

    @Test func ggufRandomStringsRoundTrip() throws {
        var withoutBOS = gguf
        withoutBOS.addBOS = false
        try TokenizerRobustnessTests.checkRandomRoundTrips(withoutBOS)
    }

    @Test func legacyTokenizerJSONMatchesTokenizers() throws {
        let t = try BPETokenizer(contentsOfTokenizerJSON: Self.fixture("sentencepiece_tokenizer.json"))
        #expect(t.sentencePiece == SentencePieceOptions(spacePrefix: .everySegment, stripsLeadingSpace: true, fusesUnknown: true))
        #expect(t.addBOS && t.bosID == 1 && t.unknownID == 0)
        expectNone(mismatches({ t.encode($0.text, addSpecial: false) }, \.hf), "encode")
        expectNone(mismatches({ t.encode($0.text) }, { [1] + $0.hf }), "encode with BOS")
        expectNone(try mismatches({ try t.decode($0.hf) }, \.hf_decoded), "decode")
        expectNone(try mismatches({ try t.decode($0.hf, skipSpecial: true) }, \.hf_decoded_skip), "decode skipping specials")
        var withoutBOS = t
        withoutBOS.addBOS = false
        try TokenizerRobustnessTests.checkRandomRoundTrips(withoutBOS)
    }

    @Test func metaspaceTokenizerJSONMatchesTokenizers() throws {
        let t = try BPETokenizer(contentsOfTokenizerJSON: Self.fixture("sentencepiece_tokenizer_metaspace.json"))
        #expect(t.sentencePiece?.spacePrefix == .textStartNotStartingWithSpace)
        expectNone(mismatches({ t.encode($0.text, addSpecial: false) }, \.hf_metaspace), "encode")
        // Text without specials or a leading space spells exactly as the legacy form.
        let plain = rows.filter { !$0.text.contains("<") && !$0.text.hasPrefix(" ") && !$0.text.hasPrefix("▁") }
        #expect(plain.count > 200 && plain.allSatisfy { $0.hf_metaspace == $0.hf })
    }
}
