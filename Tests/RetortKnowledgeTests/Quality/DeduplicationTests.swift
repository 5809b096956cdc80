// Exact dedup on normalized text, and MinHash-LSH near-duplicate detection: planted
// near-duplicates are found, unrelated text is not, at the documented threshold and banding.
import Testing
@testable import RetortKnowledge

@Suite struct ExactDeduplicatorTests {
    @Test func rejectsTextsThatDifferOnlyInCasePunctuationAndSpacing() {
        var dedup = ExactDeduplicator()
        #expect(dedup.admit("Write a poem about the sea.", label: "a") == .keep)
        #expect(
            dedup.admit("  WRITE a poem -- about the SEA!! ", label: "b")
                == .reject(check: "dedup.exact", reason: "same text as a after normalization (case, punctuation, spacing)"))
        #expect(dedup.admit("Write a poem about the sky.", label: "c") == .keep)
        #expect(dedup.count == 2)
    }

    @Test func keepsOtherScriptsAndFoldsCompatibilityForms() {
        var dedup = ExactDeduplicator()
        #expect(dedup.admit("写一首关于大海的诗", label: "zh-1") == .keep)
        #expect(dedup.admit("写一首关于天空的诗", label: "zh-2") == .keep, "different Chinese texts must not collide")
        #expect(!dedup.admit("写一首关于大海的诗。", label: "zh-3").isKept)
        #expect(dedup.admit("Ｗｒｉｔｅ ａ ｐｏｅｍ", label: "wide") == .keep)
        #expect(dedup.duplicate(of: "write a poem") == "wide")
    }

    @Test func digestsAreStableAcrossRuns() {
        // Fixed values: a changed hash would silently break dedup across resumed runs.
        #expect(TextDigest("write a poem").description == "fa991bf31dcee94b0955049ed90add09")
        #expect(TextDigest("").description == "d4a417340b712274ea560d7de70fdb9c")
        #expect(TextDigest("write a poem") != TextDigest("write a poen"))
        #expect(StableHash.hash64("abc", seed: 1) == StableHash.hash64(Array("abc".utf8), seed: 1))
    }
}

@Suite struct MinHashLSHTests {
    /// A long, varied sentence: 30 distinct words from a word list, seeded.
    static func sentence(_ random: inout SplitMix64, words: Int = 30) -> [String] {
        (0..<words).map { _ in random.pick(SyntheticInstructions.nouns + SyntheticInstructions.adjectives) }
    }

    @Test func defaultBandingIsTheDocumentedThirtyBandsOfFourRows() throws {
        let lsh = try MinHashLSH()
        #expect(lsh.banding == LSHBanding(bands: 30, rows: 4))
        #expect(lsh.banding.collisionProbability(jaccard: 0.7) > 0.999)
        #expect(lsh.banding.collisionProbability(jaccard: 0.2) < 0.06)
    }

    @Test func bandingFollowsTheThreshold() {
        let loose = LSHBanding.optimal(threshold: 0.3, permutations: 128)
        let strict = LSHBanding.optimal(threshold: 0.9, permutations: 128)
        #expect(loose.collisionProbability(jaccard: 0.5) > strict.collisionProbability(jaccard: 0.5))
        #expect(strict.bands * strict.rows <= 128 && loose.bands * loose.rows <= 128)
    }

    @Test func findsPlantedNearDuplicatesAndMissesUnrelatedText() throws {
        var lsh = try MinHashLSH()
        var random = SplitMix64(seed: 99)
        var originals: [[String]] = []
        for i in 0..<300 {
            let words = Self.sentence(&random)
            originals.append(words)
            lsh.insert(words.joined(separator: " "), label: "doc-\(i)")
        }
        var found = 0
        for (i, original) in originals.enumerated() where i % 3 == 0 {
            // One word replaced and one dropped: Jaccard of 3-word shingles ≈ 0.7-0.8.
            var copy = original
            copy[10] = "zeppelins"
            copy.remove(at: 20)
            let matches = lsh.query(copy.joined(separator: " ").uppercased() + "!")
            if matches.first?.label == "doc-\(i)" { found += 1 }
            #expect(matches.allSatisfy { $0.jaccard >= 0.5 })
        }
        #expect(found == 100, "found \(found) of 100 planted near-duplicates")
        for _ in 0..<100 {
            #expect(lsh.query(Self.sentence(&random).joined(separator: " ")).isEmpty)
        }
    }

    @Test func reportsExactJaccardAndGrowsIncrementally() throws {
        var lsh = try MinHashLSH(.init(threshold: 0.5, shingling: .words(1)))
        #expect(lsh.admit("alpha beta gamma delta", label: "first") == .keep)
        // {alpha beta gamma delta} vs {alpha beta gamma epsilon}: 3 / 5.
        let verdict = lsh.admit("alpha beta gamma epsilon", label: "second")
        #expect(verdict == .reject(check: "dedup.near", reason: "Jaccard 0.6 of 1-word shingles ≥ 0.5 with first"))
        #expect(lsh.count == 1)
        #expect(lsh.admit("zeta eta theta iota", label: "third") == .keep)
        #expect(lsh.query("zeta eta theta kappa").map(\.label) == ["third"])
    }

    @Test func signatureAgreementEstimatesJaccard() throws {
        let lsh = try MinHashLSH(.init(permutations: 512, shingling: .words(1)))
        let a = (0..<100).map { "w\($0)" }
        let b = (50..<150).map { "w\($0)" }  // Jaccard 50 / 150
        let sa = lsh.signature(of: a.joined(separator: " "))
        let sb = lsh.signature(of: b.joined(separator: " "))
        let agreement = Double(zip(sa, sb).count { $0 == $1 }) / Double(sa.count)
        #expect(abs(agreement - 1.0 / 3.0) < 0.07)
    }

    @Test func affineHashReducesModuloTheMersennePrime() {
        var random = SplitMix64(seed: 5)
        let p = MinHashLSH.prime
        for _ in 0..<1000 {
            let a = random.next() % p, x = random.next() % p, b = random.next() % p
            let product = a.multipliedFullWidth(by: x)
            let ax = p.dividingFullWidth((product.high, product.low)).remainder
            #expect(MinHashLSH.affine(a, x, b) == (ax + b) % p)
        }
        #expect(MinHashLSH.affine(p - 1, p - 1, p - 1) == ((1 as UInt64) + p - 1) % p)
    }

    @Test func characterShinglesHandleTextWithoutSpaces() throws {
        var lsh = try MinHashLSH(.init(threshold: 0.5, shingling: .characters(2)))
        lsh.insert("请写一首关于大海和月亮的诗", label: "zh")
        #expect(lsh.query("请写一首关于大海和月亮的短诗").first?.label == "zh")
        #expect(lsh.query("今天天气很好我们去公园").isEmpty)
    }

    @Test func textWithoutWordsMatchesNothing() throws {
        var lsh = try MinHashLSH()
        #expect(lsh.admit("", label: "empty") == .keep)
        #expect(lsh.admit("!!! ???", label: "punctuation") == .keep)
        #expect(lsh.admit("", label: "empty-again") == .keep)
        #expect(lsh.query("").isEmpty)
    }

    @Test func refusesImpossibleSettings() {
        #expect(throws: QualityConfigurationError.self) { try MinHashLSH(.init(threshold: 0)) }
        #expect(throws: QualityConfigurationError.self) { try MinHashLSH(.init(permutations: 0)) }
        #expect(throws: QualityConfigurationError.self) { try MinHashLSH(.init(shingling: .words(0))) }
    }
}
