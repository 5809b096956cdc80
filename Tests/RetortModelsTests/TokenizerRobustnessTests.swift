// Malformed inputs give typed errors, never a crash: bad tokenizer.json text, unknown model
// types, missing vocabularies, merges naming unknown tokens, unsupported components. And random
// byte strings (made valid with String(decoding:)) round-trip through encode and decode.
import Foundation
@testable import RetortModels
import Testing

@Suite struct TokenizerRobustnessTests {
    /// A minimal valid tokenizer.json with the 256 byte tokens, "h e" merged, and `patch` applied.
    static func json(model: String? = nil, extra: String = "") -> String {
        let vocab = ByteLevelMapping.byteToScalar.enumerated().map { "\(jsonString(String($1))): \($0)" }
        let defaultModel = """
            {"type": "BPE", "vocab": {\(vocab.joined(separator: ", ")), "he": 256, "<|end|>": 257}, "merges": ["h e"]}
            """
        return """
            {"version": "1.0", "model": \(model ?? defaultModel),
             "added_tokens": [{"id": 257, "content": "<|end|>", "special": true}],
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true} \(extra)}
            """
    }

    static func jsonString(_ s: String) -> String {
        String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
    }

    @Test func aMinimalTokenizerJSONLoads() throws {
        let t = try BPETokenizer(tokenizerJSON: Self.json())
        #expect(t.encodeToTokens("hehe<|end|>") == ["he", "he", "<|end|>"])
        #expect(t.isSpecial(257))
    }

    @Test func templatePostProcessorSetsBOS() throws {
        let post = #", "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<|end|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]}"#
        let t = try BPETokenizer(tokenizerJSON: Self.json(extra: post))
        #expect(t.addBOS && t.bosID == 257 && !t.addEOS)
        #expect(t.encode("he") == [257, 256])
    }

    @Test func malformedJSONReportsLineAndColumn() {
        do {
            _ = try BPETokenizer(tokenizerJSON: "{\n  \"model\": [1, 2,,]\n}")
            Issue.record("expected an error")
        } catch {
            guard case .malformedJSON(let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("line 2"), "\(message)")
        }
    }

    @Test func unsupportedOrMissingPartsAreTypedErrors() {
        #expect(throws: TokenizerError.unsupported(component: "model.type", value: "Unigram")) {
            try BPETokenizer(tokenizerJSON: Self.json(model: #"{"type": "Unigram", "vocab": []}"#))
        }
        #expect(throws: TokenizerError.missingField("model.vocab")) {
            try BPETokenizer(tokenizerJSON: Self.json(model: #"{"type": "BPE", "merges": []}"#))
        }
        #expect(throws: TokenizerError.missingField("model")) { try BPETokenizer(tokenizerJSON: "{}") }
        #expect(throws: TokenizerError.self) { try BPETokenizer(tokenizerJSON: "[1]") }
        #expect(throws: TokenizerError.unsupported(component: "pre_tokenizer.type", value: "Whitespace")) {
            try BPETokenizer(tokenizerJSON: Self.json().replacingOccurrences(of: #""type": "ByteLevel""#, with: #""type": "Whitespace""#))
        }
        #expect(throws: TokenizerError.self) {
            try BPETokenizer(tokenizerJSON: Self.json(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 2}, "merges": []}"#))
        }
        let unreadable = #expect(throws: TokenizerError.self) { try BPETokenizer(contentsOfTokenizerJSON: "/nonexistent/tokenizer.json") }
        guard case .unreadableFile(let path, _) = unreadable else { Issue.record("wrong error \(String(describing: unreadable))"); return }
        #expect(path == "/nonexistent/tokenizer.json")
    }

    @Test func mergesNamingUnknownTokensAreRejected() {
        let bad = Self.json().replacingOccurrences(of: #"["h e"]"#, with: #"["h e", "q zz"]"#)
        #expect(throws: TokenizerError.invalidMerge(index: 1, merge: "q zz", reason: "\"zz\" is not in the vocabulary")) {
            try BPETokenizer(tokenizerJSON: bad)
        }
        let noResult = Self.json().replacingOccurrences(of: #"["h e"]"#, with: #"["h e", "a b"]"#)
        #expect(throws: TokenizerError.self) { try BPETokenizer(tokenizerJSON: noResult) }
        #expect(throws: TokenizerError.invalidMerge(index: 0, merge: "he", reason: "expected two tokens separated by a space")) {
            try BPETokenizer(tokens: ["h", "e", "he"], merges: ["he"], preTokenizer: .gpt2)
        }
        #expect(throws: TokenizerError.self) {
            try BPETokenizer(tokens: ["a"], merges: [], tokenTypes: [1, 1], preTokenizer: .gpt2)
        }
        #expect(throws: TokenizerError.self) { try BPETokenizer(tokens: [], merges: [], preTokenizer: .gpt2) }
        #expect(throws: TokenizerError.self) { try BPETokenizer(tokens: ["a"], merges: [], bosID: 5, preTokenizer: .gpt2) }
    }

    @Test func errorsDescribeThemselves() {
        let error: any Error = TokenizerError.idOutOfRange(70000, vocabularySize: 49152)
        #expect(error.localizedDescription.contains("70000"))
    }

    @Test func randomStringsRoundTrip() throws {
        try Self.checkRandomRoundTrips(try TokenizerFixtures.tinyTokenizer())
    }

    /// Random byte strings made valid by String(decoding:), some with "<|im_start|>" appended,
    /// must decode back to themselves (less the bytes the vocabulary cannot represent).
    static func checkRandomRoundTrips(_ tokenizer: BPETokenizer) throws {
        let missing = Set(tokenizer.unrepresentableBytes)
        var rng = TokenizerTestRandom(seed: 0x5EED)
        let alphabet: [UInt8] = Array(" \t\n\r'0123456789abcXYZ!?.<|>_".utf8)
        for round in 0..<500 {
            let count = Int(rng.next() % 40)
            var bytes: [UInt8] = (0..<count).map { _ in
                let r = rng.next()
                return r % 3 == 0 ? alphabet[Int(r >> 8) % alphabet.count] : UInt8(truncatingIfNeeded: r >> 16)
            }
            if round % 5 == 0 { bytes += Array("<|im_start|>".utf8) }
            let text = String(decoding: bytes, as: UTF8.self)
            let kept = String(decoding: text.utf8.filter { !missing.contains($0) }, as: UTF8.self)
            #expect(try tokenizer.decode(tokenizer.encode(text)) == kept, "round \(round): \(text.debugDescription)")
            #expect(try tokenizer.decode(tokenizer.encode(text, parseSpecial: false)) == kept)
        }
    }
}

/// A small deterministic generator so failures reproduce.
private struct TokenizerTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
