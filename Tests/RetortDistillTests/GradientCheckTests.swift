// Every objective's analytic gradient agrees with central finite differences (the named checks of
// ObjectiveGradientChecks, which `retort check gradients` also prints).
import Testing
@testable import RetortDistill

@Suite struct GradientCheckTests {
    @Test(arguments: ObjectiveGradientChecks.all.map(\.name))
    func gradientMatchesFiniteDifferences(_ name: String) throws {
        let check = try #require(ObjectiveGradientChecks.all.first { $0.name == name })
        let error = try check.run()
        #expect(error <= check.tolerance, "\(name): worst relative error \(error) > \(check.tolerance)")
    }

    @Test func everyRegisteredObjectiveHasAGradientCheck() {
        let checked = Set(ObjectiveGradientChecks.all.map { $0.name.split(separator: " ").first.map(String.init) ?? $0.name })
        for name in ObjectiveRegistry.builtIn.names {
            #expect(checked.contains(name), "no gradient check for \(name)")
        }
    }

    @Test func aWrongGradientIsCaught() {
        // The comparison itself must fail on a gradient that is off by 1%.
        let numeric = [0.5, -0.25, 0.125]
        let analytic = numeric.map { $0 * 1.01 }
        #expect(ObjectiveGradientChecks.worstRelativeError(analytic: analytic, numeric: numeric) > 1e-3)
    }
}
