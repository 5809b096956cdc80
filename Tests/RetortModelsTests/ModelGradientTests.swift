// Finite-difference checks of the whole decoder's backward (every parameter kind, packed and
// padded rows), through ModelGradientChecks.
import Testing
@testable import RetortModels

@Suite struct ModelGradientTests {
    @Test(arguments: ModelGradientChecks.all.map(\.name))
    func wholeModelGradientMatchesFiniteDifferences(name: String) throws {
        let item = try #require(ModelGradientChecks.all.first { $0.name == name })
        let error = try item.run()
        #expect(error < item.tolerance, "\(name): worst relative error \(error)")
    }

    @Test func checkSamplesEveryParameterKind() throws {
        let result = try ModelGradientChecks.wholeModel(.init(tied: false, attentionBias: true), samples: 1)
        // embedding, per layer 2 norms + 7 projections + 3 biases (x2 layers), final norm, head
        #expect(result.checked == 1 + 2 * 12 + 2)
    }

    @Test func wrongGradientFailsTheCheck() throws {
        let result = try ModelGradientChecks.wholeModel(.init(attentionBias: true, corruptGradients: 1.3))
        #expect(result.worstRelativeError > 0.1)
    }
}
