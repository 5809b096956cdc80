// Malformed SentencePiece vocabularies, from GGUF metadata and from tokenizer.json, give precise
// TokenizerErrors and never crash: score and type counts, byte tokens, token types, special ids,
// unsupported normalizers, pre-tokenizers and decoders.
import Foundation
@testable import RetortModels
import Testing

@Suite struct TokenizerSentencePieceMalformedTests {
    typealias Vocabulary = GGUFModelInfo.Tokenizer
    static let valid = TokenizerSentencePieceTests.vocabulary(TokenizerSentencePieceTests.pieces)

    func expectError(_ expected: TokenizerError, _ change: (inout Vocabulary) -> Void) {
        var v = Self.valid
        change(&v)
        #expect(throws: expected) { try BPETokenizer(gguf: v) }
    }

    @Test func scoresMustBeThereOnePerToken() {
        let n = Self.valid.tokens.count
        expectError(.invalidField("scores", reason: "\(n - 1) scores for \(n) tokens; there must be one per token")) { $0.scores!.removeLast() }
        expectError(.missingField("tokenizer.ggml.scores (a SentencePiece vocabulary merges by piece score)")) { $0.scores = nil }
        expectError(.invalidField("scores", reason: "the score of token 5 is NaN")) { $0.scores![5] = .nan }
    }

    @Test func byteTokensMustBeCompleteAndWellSpelled() throws {
        expectError(.invalidField("tokens", reason: "byte fallback needs all 256 byte tokens; 255 are present and <0x41> is missing")) {
            $0.tokenTypes![3 + 0x41] = 1
        }
        expectError(.invalidField("tokens", reason: "token 3 \"<0xZZ>\" has the byte type but is not spelled <0xXX>")) {
            $0.tokens[3] = "<0xZZ>"
        }
        let noBytes = TokenizerSentencePieceTests.vocabulary(TokenizerSentencePieceTests.pieces, bytes: false)
        var v = noBytes
        v.unknownTokenID = nil
        // Without byte tokens the unknown token (llama.cpp's default id 0 when the key is absent)
        // stands in; a vocabulary with neither cannot encode.
        #expect(try BPETokenizer(gguf: v).unknownID == 0)
        #expect(throws: TokenizerError.invalidField(
            "tokens", reason: "there are no <0xXX> byte tokens and no unknown token, so text outside the vocabulary could not be encoded")) {
            try BPETokenizer(sentencePieceTokens: v.tokens, scores: v.scores!, tokenTypes: v.tokenTypes, options: .init(spacePrefix: .none, stripsLeadingSpace: false))
        }
    }

    @Test func tokenTypesMustBeKnownAndOnePerToken() {
        expectError(.invalidField("token types", reason: "token 4 (\"<0x01>\") has type 7; known types are 0 to 6")) { $0.tokenTypes![4] = 7 }
        expectError(.invalidField("token types", reason: "token 0 (\"<unk>\") has type -1; known types are 0 to 6")) { $0.tokenTypes![0] = -1 }
        let n = Self.valid.tokens.count
        expectError(.invalidField("token types", reason: "\(n + 1) types for \(n) tokens")) { $0.tokenTypes!.append(1) }
    }

    @Test func theVocabularyAndSpecialIDsMustBeValid() {
        expectError(.missingField("tokens (the vocabulary is empty)")) {
            $0.tokens = []
            $0.tokenTypes = []
            $0.scores = []
        }
        let n = Self.valid.tokens.count
        expectError(.invalidField("unknown id", reason: "\(n) is outside 0..<\(n)")) { $0.unknownTokenID = n }
        expectError(.invalidField("add bos", reason: "no bos id is set")) { $0.bosTokenID = Int(Int32.max) + 1 }
    }

    @Test func unknownModelTypesAreRejected() {
        expectError(.unsupported(component: "tokenizer.ggml.model", value: "\"t5\" (supported: \"gpt2\", byte-level BPE, and \"llama\", SentencePiece BPE)")) {
            $0.model = "t5"
        }
    }

    /// A byte-fallback tokenizer.json over the tiny vocabulary, with `patch` applied to the root object.
    static func json(_ patch: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let tokens = valid.tokens
        var vocab: [String: Int] = [:]
        for (id, token) in tokens.enumerated() { vocab[token] = id }
        var root: [String: Any] = [
            "model": ["type": "BPE", "vocab": vocab, "merges": [["▁", "h"], ["h", "i"], ["▁h", "i"]], "byte_fallback": true,
                      "unk_token": "<unk>", "fuse_unk": true] as [String: Any],
            "added_tokens": [["id": 1, "content": "<s>", "special": true]],
            "normalizer": ["type": "Sequence", "normalizers": [
                ["type": "Prepend", "prepend": "▁"], ["type": "Replace", "pattern": ["String": " "], "content": "▁"]]],
            "pre_tokenizer": NSNull(),
            "decoder": ["type": "Sequence", "decoders": [
                ["type": "Replace", "pattern": ["String": "▁"], "content": " "], ["type": "ByteFallback"], ["type": "Fuse"],
                ["type": "Strip", "content": " ", "start": 1, "stop": 0]]],
        ]
        patch(&root)
        return String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
    }

    @Test func aMinimalByteFallbackTokenizerJSONLoads() throws {
        let t = try BPETokenizer(tokenizerJSON: Self.json())
        #expect(t.encodeToTokens("hi é") == ["▁hi", "▁", "<0xC3>", "<0xA9>"])
        #expect(try t.decode(t.encode("hi é")) == "hi é")
    }

    @Test func tokenizerJSONComponentsOutsideTheSentencePieceFormAreRejected() throws {
        func expectJSONError(_ expected: TokenizerError, _ patch: (inout [String: Any]) -> Void) throws {
            let text = try Self.json(patch)
            #expect(throws: expected) { try BPETokenizer(tokenizerJSON: text) }
        }
        try expectJSONError(.invalidField("tokens", reason: "byte fallback needs all 256 byte tokens; 255 are present and <0x00> is missing")) {
            var model = $0["model"] as! [String: Any]
            var vocab = model["vocab"] as! [String: Int]
            vocab["<0x00>"] = nil
            vocab["zz"] = 3
            model["vocab"] = vocab
            $0["model"] = model
        }
        try expectJSONError(.unsupported(component: "pre_tokenizer.split", value: "true")) {
            $0["normalizer"] = NSNull()
            $0["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true]
        }
        try expectJSONError(.unsupported(component: "normalizer", value: #"{"type":"NFKC"}"#)) { $0["normalizer"] = ["type": "NFKC"] }
        try expectJSONError(.missingField("decoder")) { $0["decoder"] = NSNull() }
        try expectJSONError(.invalidField("model.unk_token", reason: #""<nope>" is not in the vocabulary"#)) {
            var model = $0["model"] as! [String: Any]
            model["unk_token"] = "<nope>"
            $0["model"] = model
        }
        try expectJSONError(.invalidMerge(index: 1, merge: "h q", reason: "\"q\" is not in the vocabulary")) {
            var model = $0["model"] as! [String: Any]
            model["merges"] = [["▁", "h"], ["h", "q"]]
            $0["model"] = model
        }
    }
}
