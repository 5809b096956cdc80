// The hand-written split scanners against the regular expressions themselves: the pieces the
// Hugging Face `tokenizers` Split(Regex) gives for every corpus string with the gpt2, llama3 and
// qwen2 patterns (pretokenizer_expected.jsonl), plus the smollm digit rule.
@testable import RetortModels
import Testing

@Suite struct TokenizerPreTokenizerTests {
    @Test(arguments: [PreTokenizer.Pattern.gpt2, .llama3, .qwen2])
    func scannerMatchesTheReferenceRegex(pattern: PreTokenizer.Pattern) throws {
        let rows = try TokenizerFixtures.lines("pretokenizer_expected.jsonl", as: TokenizerFixtures.Pieces.self)
        #expect(rows.count > 700)
        let splitter = PreTokenizer(steps: [.pattern(pattern)])
        var mismatches: [String] = []
        for row in rows {
            let want = switch pattern {
            case .gpt2: row.gpt2
            case .llama3: row.llama3
            case .qwen2: row.qwen2
            }
            let got = splitter.split(row.text).map(String.init)
            if got != want { mismatches.append("\(row.text.debugDescription): got \(got), want \(want)") }
        }
        #expect(mismatches.isEmpty, "\(pattern): \(mismatches.count) mismatches:\n\(mismatches.prefix(15).joined(separator: "\n"))")
    }

    @Test func smollmSplitsEveryDigitBeforeTheGPT2Pattern() {
        #expect(PreTokenizer.smollm.split("abc 2024 x") == ["abc", " ", "2", "0", "2", "4", " x"])
        #expect(PreTokenizer.gpt2.split("abc 2024 x") == ["abc", " 2024", " x"])
        #expect(PreTokenizer(steps: [.digits(individual: false)]).split("a12b3") == ["a", "12", "b", "3"])
        #expect(PreTokenizer.llama3.split("12345") == ["123", "45"])
        #expect(PreTokenizer.qwen2.split("123") == ["1", "2", "3"])
        #expect(PreTokenizer.smollm.split("").isEmpty)
    }

    @Test func ggufPreTypeNames() {
        #expect(PreTokenizer(ggufPreType: "smollm") == .smollm)
        #expect(PreTokenizer(ggufPreType: "llama-bpe") == .llama3)
        #expect(PreTokenizer(ggufPreType: "qwen2") == .qwen2)
        #expect(PreTokenizer(ggufPreType: "gpt2") == .gpt2)
        #expect(PreTokenizer(ggufPreType: "no-such-pre") == nil)
    }
}
