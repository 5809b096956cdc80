// Fuzzing the tokenizer.json loader: seeded mutations of small valid files (byte-level BPE with
// added tokens, a TemplateProcessing post-processor, NFC, Sequence and Split pre-tokenizers, merges
// as strings and as pairs). Every mutant must load (and then encode and decode without crashing) or
// throw a TokenizerError; any crash fails the run. RETORT_FUZZ_ITERATIONS raises the count.
import Foundation
@testable import RetortModels
import Testing

@Suite struct TokenizerJSONFuzzTests {
    /// Valid starting points: the minimal file, and one using every optional part the loader reads.
    static func seeds() -> [String] {
        let post = #", "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<|end|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]}"#
        let rich = TokenizerRobustnessTests.json(extra: post + #", "normalizer": {"type": "NFC"}"#)
            .replacingOccurrences(of: #"["h e"]"#, with: #"[["h", "e"]], "ignore_merges": true"#)
            .replacingOccurrences(
                of: #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#,
                with: #"{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}]}"#)
        return [TokenizerRobustnessTests.json(), TokenizerRobustnessTests.json(extra: post), rich]
    }

    static let dictionary = [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "\"type\"", "\"BPE\"", "\"vocab\"", "\"merges\"",
        "\"added_tokens\"", "\"id\"", "\"content\"", "\"special\"", "\"Sequence\"", "\"TemplateProcessing\"",
        "\"SpecialToken\"", "\"ByteLevel\"", "\"pretokenizers\"", "\"processors\"", "\\u0000", "\\ud800", "\"\\\"\"",
    ]

    @Test func mutatedTokenizerJSONLoadsOrThrowsATypedError() throws {
        let seeds = Self.seeds()
        for seed in seeds { _ = try BPETokenizer(tokenizerJSON: seed) }
        let donors = seeds.map { Array($0.utf8) }
        var mutator = FuzzMutator(seed: 0x70CE_4A17, dictionary: Self.dictionary)
        let count = FuzzMutator.iterations(default: 1500)
        var loaded = 0
        var refusals = Set<String>()
        for iteration in 0..<count {
            let mutant = mutator.mutate(donors[iteration % donors.count], donors: donors)
            do throws(TokenizerError) {
                let tokenizer = try BPETokenizer(tokenizerJSON: String(decoding: mutant, as: UTF8.self))
                loaded += 1
                try Self.exercise(tokenizer, iteration: iteration)
            } catch {
                refusals.insert(String(describing: error).prefix { $0 != "(" }.description)
            }
        }
        #expect(loaded > count / 200, "some mutations of vocabulary text should still load; loaded \(loaded) of \(count)")
        #expect(refusals.count >= 4, "expected many kinds of refusal, saw \(refusals.sorted())")
    }

    /// A loaded mutant must tokenize; ids outside its vocabulary are typed errors.
    static func exercise(_ tokenizer: BPETokenizer, iteration: Int) throws(TokenizerError) {
        let text = "hello world <|end|> héllo 1234 \u{0}\n"
        let ids = tokenizer.encode(text)
        #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.tokens.count }, "mutant \(iteration)")
        _ = try tokenizer.decode(ids, lossy: true)
        #expect(throws: TokenizerError.self, "mutant \(iteration)") {
            try tokenizer.decode([Int32(tokenizer.tokens.count)])
        }
    }
}
