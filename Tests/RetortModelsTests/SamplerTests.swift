// Sampling: greedy at temperature 0, truncations that leave only the top token behave greedily,
// a seed repeats a sample, min-p and repetition penalty act as defined, bad parameters are named.
@testable import RetortModels
import Testing

@Suite struct SamplerTests {
    let logits: [Float] = [1.0, 3.0, 2.5, -1.0, 0.5]

    func draws(_ parameters: SamplingParameters, count: Int = 200) throws -> [Int32] {
        var sampler = try Sampler(parameters)
        return (0..<count).map { _ in sampler.next(logits: logits, context: []) }
    }

    @Test func temperatureZeroIsGreedy() throws {
        #expect(Set(try draws(SamplingParameters(), count: 10)) == [1])
    }

    @Test func topKOfOneAndTinyTopPAreGreedy() throws {
        var p = SamplingParameters()
        p.temperature = 1.5
        p.topK = 1
        #expect(Set(try draws(p)) == [1])
        p.topK = 0
        p.topP = 0.01
        #expect(Set(try draws(p)) == [1])
    }

    @Test func theSameSeedRepeatsAndAnotherDiffers() throws {
        var p = SamplingParameters()
        p.temperature = 1
        p.seed = 42
        let first = try draws(p)
        #expect(try draws(p) == first)
        #expect(Set(first).count > 2, "a temperature-1 sample spreads over several tokens")
        p.seed = 43
        #expect(try draws(p) != first)
    }

    @Test func minPDropsTokensFarBelowTheTop() throws {
        var p = SamplingParameters()
        p.temperature = 1
        p.minP = 0.5  // keeps tokens with p ≥ 0.5·p(top): ids 1 (3.0) and 2 (2.5, ratio e^-0.5 ≈ 0.61)
        #expect(Set(try draws(p, count: 500)) == [1, 2])
    }

    @Test func repetitionPenaltyDemotesTokensInTheContext() throws {
        var p = SamplingParameters()
        p.repetitionPenalty = 2  // id 1: 3.0 → 1.5, below id 2's 2.5
        var sampler = try Sampler(p)
        #expect(sampler.next(logits: logits, context: [1]) == 2)
        #expect(sampler.next(logits: logits, context: [0]) == 1)
    }

    @Test func outOfRangeParametersAreNamed() {
        var p = SamplingParameters()
        p.topP = 0
        #expect(throws: SamplingError.outOfRange("top_p", "in (0, 1]", 0)) { try Sampler(p) }
        p = SamplingParameters()
        p.temperature = -1
        #expect(throws: SamplingError.self) { try Sampler(p) }
    }
}
