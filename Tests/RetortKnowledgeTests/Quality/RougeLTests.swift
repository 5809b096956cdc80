// ROUGE-L and its tokenizer reproduce rouge-score 0.1.2 (Fixtures/make_rouge_fixtures.py →
// Fixtures/rouge_fixtures.json) bit for bit, and the bit-parallel LCS equals the textbook table.
import Foundation
import Testing
@testable import RetortKnowledge

struct RougeFixtures: Decodable {
    struct Case: Decodable {
        var target: String
        var prediction: String
        var target_tokens: [String]
        var prediction_tokens: [String]
        var precision: Double
        var recall: Double
        var fmeasure: Double
    }

    var generator: String
    var cases: [Case]

    /// Read next to this test file, not from bundle resources.
    static func load(filePath: String = #filePath) throws -> RougeFixtures {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/rouge_fixtures.json")
        return try JSONDecoder().decode(RougeFixtures.self, from: Data(contentsOf: url))
    }
}

/// The dynamic-programming LCS of rouge_score's _lcs_table, kept independent of LCSMatcher.
func tableLCS<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    if a.isEmpty || b.isEmpty { return 0 }
    var previous = [Int](repeating: 0, count: b.count + 1)
    var current = previous
    for x in a {
        for (j, y) in b.enumerated() { current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j]) }
        swap(&previous, &current)
    }
    return previous[b.count]
}

@Suite struct RougeLTests {
    let fixtures: RougeFixtures

    init() throws { fixtures = try RougeFixtures.load() }

    @Test func fixturesHoldFiftyPairsFromRougeScore() {
        #expect(fixtures.cases.count >= 50)
        #expect(fixtures.generator.hasPrefix("rouge-score"))
        #expect(fixtures.cases.contains { $0.target_tokens.count > 128 }, "no case exercises multi-word LCS")
    }

    @Test func tokenizerMatchesRougeScoreDefaultTokenizer() {
        for c in fixtures.cases {
            #expect(RougeTokenizer.tokens(c.target) == c.target_tokens, "target \(c.target.debugDescription)")
            #expect(RougeTokenizer.tokens(c.prediction) == c.prediction_tokens, "prediction \(c.prediction.debugDescription)")
        }
    }

    @Test func scoresAreBitIdenticalToRougeScore() {
        for c in fixtures.cases {
            let score = RougeL.score(target: c.target, prediction: c.prediction)
            let label = "\(c.target.prefix(40).debugDescription) vs \(c.prediction.prefix(40).debugDescription)"
            #expect(score.precision == c.precision, "precision \(label)")
            #expect(score.recall == c.recall, "recall \(label)")
            #expect(score.fmeasure == c.fmeasure, "F \(label): \(score.fmeasure) vs \(c.fmeasure)")
        }
    }

    @Test func fmeasureIsSymmetricBitForBit() {
        for c in fixtures.cases {
            #expect(
                RougeL.score(target: c.target, prediction: c.prediction).fmeasure
                    == RougeL.score(target: c.prediction, prediction: c.target).fmeasure)
        }
    }

    @Test func textsWithoutAsciiLettersHaveNoTokensAndScoreZero() {
        #expect(RougeTokenizer.tokens("写一首关于大海的诗 😂 ＡＢＣ").isEmpty)
        #expect(RougeL.score(target: "写一首诗", prediction: "写一首诗").fmeasure == 0)
        #expect(RougeL.score(target: "", prediction: "").fmeasure == 0)
    }

    @Test(arguments: [(1, 1), (7, 9), (63, 64), (64, 64), (64, 65), (65, 3), (128, 128), (129, 200), (300, 40)])
    func bitParallelLCSEqualsTheDynamicProgrammingTable(lengths: (Int, Int)) {
        var random = SplitMix64(seed: UInt64(lengths.0 * 1000 + lengths.1))
        for alphabet in [2, 5, 40] {
            for _ in 0..<6 {
                let a = (0..<lengths.0).map { _ in Int32(random.below(alphabet)) }
                var b = (0..<lengths.1).map { _ in Int32(random.below(alphabet)) }
                if random.unit() < 0.5 { b = Array((a.shuffled(using: &random) + b).prefix(lengths.1)) }
                #expect(RougeL.lcsLength(a, b) == tableLCS(a, b), "alphabet \(alphabet)")
                #expect(RougeL.lcsLength(b, a) == tableLCS(a, b), "alphabet \(alphabet), swapped")
            }
        }
    }

    @Test func lcsOfIdenticalLongSequencesIsTheirLength() {
        let a = (0..<1000).map { Int32($0 % 37) }
        #expect(RougeL.lcsLength(a, a) == 1000)
        #expect(RougeL.lcsLength(a, []) == 0)
    }
}

