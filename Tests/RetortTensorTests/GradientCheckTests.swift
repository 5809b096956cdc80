// Every op's backward agrees with central differences through the shared checker, and the checker
// itself reports a wrong gradient.
import Testing
@testable import RetortTensor

@Suite struct GradientCheckTests {
    @Test(arguments: OpGradientChecks.all.map(\.name))
    func backwardMatchesFiniteDifferences(op: String) throws {
        let item = try #require(OpGradientChecks.all.first { $0.name == op })
        let error = try item.run()
        print("gradient check \(op): worst relative error \(error)")
        #expect(error < item.tolerance, "\(op): worst relative error \(error) exceeds \(item.tolerance)")
    }

    @Test func checkerReportsLargeErrorForWrongGradient() throws {
        // loss = Σ x^2, true gradient 2x; hand the checker x instead.
        let x = try Tensor(shape: [4], values: [0.5, -1, 2, 3])
        let wrong = x.copy()
        let report = try GradientCheck.compare(inputs: [x], analyticGradients: [wrong]) {
            (0..<x.count).reduce(0.0) { $0 + Double(x[$1]) * Double(x[$1]) }
        }
        #expect(report.worstRelativeError > 0.4)
    }

    @Test func checkerAcceptsExactGradientAndRestoresInputs() throws {
        let x = try Tensor(shape: [4], values: [0.5, -1, 2, 3])
        let gradient = try Tensor(shape: [4], values: x.toArray().map { 2 * $0 })
        let report = try GradientCheck.compare(inputs: [x], analyticGradients: [gradient]) {
            (0..<x.count).reduce(0.0) { $0 + Double(x[$1]) * Double(x[$1]) }
        }
        #expect(report.worstRelativeError < 1e-4)
        #expect(x.toArray() == [0.5, -1, 2, 3])
    }
}
