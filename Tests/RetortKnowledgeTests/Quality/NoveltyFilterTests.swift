// NoveltyFilter decides exactly as Self-Instruct's pairwise rule (ROUGE-L F against every pool
// item, reject at ≥ threshold), whatever its bounds and index skip.
import Testing
@testable import RetortKnowledge

/// The rule as Self-Instruct applies it: every candidate against every kept text, no pruning.
func pairwiseKept(_ texts: [String], threshold: Double, seeds: [String] = []) -> [Bool] {
    var vocabulary = TokenVocabulary()
    var pool = seeds.map { vocabulary.tokenIDs($0) }
    var matcher = LCSMatcher()
    var kept: [Bool] = []
    for text in texts {
        let ids = vocabulary.tokenIDs(text)
        matcher.setPattern(ids)
        let similar = pool.contains { other in
            let lcs = matcher.lcsLength(with: other[...])
            return RougeScore(lcs: lcs, targetLength: ids.count, predictionLength: other.count).fmeasure >= threshold
        }
        kept.append(!similar)
        if !similar { pool.append(ids) }
    }
    return kept
}

func filterKept(_ texts: [String], threshold: Double, seeds: [String] = []) throws -> [Bool] {
    var filter = try NoveltyFilter(threshold: threshold)
    for (i, seed) in seeds.enumerated() { filter.addToPool(seed, label: "seed-\(i)") }
    return texts.enumerated().map { filter.admit($1, label: "i-\($0)").isKept }
}

/// Random token sequences over a tiny vocabulary with near-copies, lengths 0…150: the worst case
/// for the bounds (heavy token repetition, common tokens everywhere, long multi-word LCS).
func adversarialTexts(count: Int, seed: UInt64) -> [String] {
    var random = SplitMix64(seed: seed)
    let words = ["a", "b", "c", "dd", "e", "f9", "gg", "h"]
    var texts: [String] = []
    for _ in 0..<count {
        if !texts.isEmpty, random.unit() < 0.5 {
            var tokens = texts[random.below(texts.count)].split(separator: " ").map(String.init)
            for _ in 0..<random.below(4) {
                if !tokens.isEmpty, random.unit() < 0.5 {
                    tokens.remove(at: random.below(tokens.count))
                } else {
                    tokens.insert(random.pick(words), at: random.below(tokens.count + 1))
                }
            }
            texts.append(tokens.joined(separator: " "))
        } else {
            let length = random.unit() < 0.1 ? random.below(150) : random.below(20)
            texts.append((0..<length).map { _ in random.pick(words) }.joined(separator: " "))
        }
    }
    return texts
}

@Suite struct NoveltyFilterTests {
    @Test func keepsExactlyThePairwiseRuleKeptSetOnGeneratedInstructions() throws {
        let texts = SyntheticInstructions.generate(count: 2000, seed: 7)
        let expected = pairwiseKept(texts, threshold: 0.7)
        let kept = try filterKept(texts, threshold: 0.7)
        #expect(kept == expected)
        let rejected = expected.count { !$0 }
        #expect(rejected > 100, "the generated set should contain near-duplicates; only \(rejected) rejected")
    }

    @Test(arguments: [0.3, 0.5, 0.9, 1.0])
    func keepsExactlyThePairwiseRuleKeptSetAtOtherThresholds(threshold: Double) throws {
        let texts = SyntheticInstructions.generate(count: 600, seed: 11)
        #expect(try filterKept(texts, threshold: threshold) == pairwiseKept(texts, threshold: threshold))
    }

    @Test(arguments: [0.5, 0.7, 0.95])
    func keepsExactlyThePairwiseRuleKeptSetOnAdversarialText(threshold: Double) throws {
        let texts = adversarialTexts(count: 700, seed: 3)
        let expected = pairwiseKept(texts, threshold: threshold)
        #expect(try filterKept(texts, threshold: threshold) == expected)
        #expect(expected.contains(false) && expected.contains(true))
    }

    @Test func seedsTakePartInTheDecision() throws {
        let seeds = SyntheticInstructions.generate(count: 150, seed: 21)
        let texts = SyntheticInstructions.generate(count: 400, seed: 22) + seeds.map { $0.uppercased() }
        let kept = try filterKept(texts, threshold: 0.7, seeds: seeds)
        #expect(kept == pairwiseKept(texts, threshold: 0.7, seeds: seeds))
        #expect(kept.suffix(seeds.count).allSatisfy { !$0 }, "a re-cased seed must be rejected")
    }

    @Test func reportsTheMostSimilarPoolItemWithItsScore() throws {
        var filter = try NoveltyFilter()
        filter.addToPool("Write a poem about the sea", label: "seed-1")
        filter.addToPool("Write a poem about the ocean at night", label: "seed-2")
        filter.addToPool("Translate the sentence into French", label: "seed-3")
        let verdict = filter.admit("Write a poem about the ocean.", label: "new")
        #expect(verdict == .reject(check: "novelty", reason: "ROUGE-L 0.857 ≥ 0.70 with seed-2"))
        let similar = filter.mostSimilar(to: "write a poem about the ocean")
        let match = try #require(similar)
        #expect(match.label == "seed-2" && match.poolIndex == 1)
        #expect(match.score == RougeL.score(target: "write a poem about the ocean", prediction: "Write a poem about the ocean at night"))
        #expect(filter.poolCount == 3, "a rejected candidate must not join the pool")
    }

    @Test func rejectsAtExactlyTheThresholdLikeThePaper() throws {
        // rouge_score gives exactly 0.7 for this pair (Fixtures/rouge_fixtures.json).
        var filter = try NoveltyFilter(threshold: 0.7)
        filter.addToPool("its a well known fact e mail isnt dead", label: "seed")
        #expect(!filter.admit("It's a well-known fact: e-mail isn't dead.", label: "x").isKept)
    }

    @Test func keepsNovelTextAndLetsItJoinThePool() throws {
        var filter = try NoveltyFilter()
        #expect(filter.admit("Summarize the history of Rome", label: "a") == .keep)
        #expect(filter.admit("List three uses of vinegar in cooking", label: "b") == .keep)
        #expect(filter.poolCount == 2)
        #expect(!filter.admit("Summarize the history of rome!", label: "c").isKept)
        #expect(filter.statistics.pairs == 3)
    }

    @Test func textWithoutRougeTokensIsAlwaysNovel() throws {
        var filter = try NoveltyFilter()
        for text in ["", "   ", "写一首关于大海的诗", "😂🤣🐈", "\u{FFFD}\u{FFFD}", "写一首关于大海的诗"] {
            #expect(filter.admit(text, label: text) == .keep, "\(text.debugDescription)")
        }
        #expect(filter.admit("Write a poem", label: "p") == .keep)
    }

    @Test func handlesLongTextsAndReplacementCharacters() throws {
        var filter = try NoveltyFilter()
        let long = (0..<6000).map { "word\($0 % 97) \u{FFFD}" }.joined(separator: " ")
        #expect(filter.admit(long, label: "long") == .keep)
        #expect(!filter.admit(long + " one more", label: "long-again").isKept)
        #expect(filter.admit("Write a haiku about snow", label: "short") == .keep)
    }

    @Test(arguments: [0.0, -1.0, 1.5, Double.nan])
    func refusesThresholdsOutsideTheUnitInterval(threshold: Double) {
        #expect(throws: QualityConfigurationError.self) { try NoveltyFilter(threshold: threshold) }
    }
}
