// Shared helpers for the tokenizer tests: fixture paths, JSON-lines reading, the SmolLM2
// tokenizer (read from the GGUF model when present) and a tiny hand-built vocabulary.
import Foundation
@testable import RetortModels

enum TokenizerFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Expected: Decodable {
        let text: String
        let ids: [Int32]
    }

    struct Pieces: Decodable {
        let text: String
        let gpt2: [String]
        let llama3: [String]
        let qwen2: [String]
    }

    static func lines<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(T.self, from: Data($0)) }
    }

    /// SmolLM2's tokenizer, read from the GGUF model (see GGUFTestModel for where it is found).
    static var hasSmolLM2: Bool { GGUFTestModel.path != nil }

    /// Loaded once; tests that need it are disabled when the model is absent.
    static let smolLM2: Result<BPETokenizer, any Error> = Result {
        guard let path = GGUFTestModel.path else { throw TokenizerError.missingField("SmolLM2 model") }
        return try BPETokenizer(gguf: GGUFModelInfo(GGUFFile(path: path)).tokenizer)
    }

    /// The 256 byte tokens, ChatML specials and a few merges ("h e", "he l", "hel l", "hell o",
    /// "Ġ w", …, "l l" last), enough to test merging order, added tokens and decoding by hand.
    static func tinyTokenizer(preTokenizer: PreTokenizer = .smollm, addBOS: Bool = false) throws -> BPETokenizer {
        var tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool>"]
        tokens += ByteLevelMapping.byteToScalar.map { String($0) }
        let merges = ["h e", "he l", "hel l", "hell o", "Ġ w", "Ġw o", "o r", "Ġwo r", "Ġwor l", "Ġworl d", "Ġ Ġ", "ĠĠ Ġ", "l l"]
        for merge in merges { tokens.append(merge.replacingOccurrences(of: " ", with: "")) }
        let types: [Int32] = [3, 3, 3, 4] + Array(repeating: 1, count: tokens.count - 4)
        return try BPETokenizer(
            tokens: tokens, merges: merges, tokenTypes: types, bosID: 1, eosID: 2, padID: 0, addBOS: addBOS,
            preTokenizer: preTokenizer)
    }
}
