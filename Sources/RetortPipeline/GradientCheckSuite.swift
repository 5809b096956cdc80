// `retort check gradients`: every op of the kernel, the whole model, every built-in objective and
// every plugin objective checked against central finite differences on small random shapes.
import RetortDistill
import RetortHost
import RetortModels
import RetortTensor

public struct GradientCheckResult: Sendable {
    public let group: String
    public let name: String
    /// Worst relative error between analytic and numeric gradients (infinity if it threw).
    public let worstRelativeError: Double
    public let tolerance: Double
    public var passed: Bool { worstRelativeError <= tolerance }
}

public enum GradientCheckSuite {
    /// Runs all checks; `filter` keeps those whose "group/name" contains it.
    public static func run(catalog: PluginCatalog, filter: String? = nil) -> [GradientCheckResult] {
        var results: [GradientCheckResult] = []
        func keep(_ group: String, _ name: String) -> Bool {
            guard let filter, !filter.isEmpty else { return true }
            return "\(group)/\(name)".localizedCaseInsensitiveContains(filter)
        }
        let plugins = catalog.registry.plugins.flatMap(ObjectiveGradientChecks.pluginChecks)
        let checks = OpGradientChecks.all.map { ("op", $0) } + ModelGradientChecks.all.map { ("model", $0) }
            + ObjectiveGradientChecks.all.map { ("objective", $0) } + plugins.map { ("plugin objective", $0) }
        for (group, check) in checks where keep(group, check.name) {
            let error = (try? check.run()) ?? .infinity
            results.append(GradientCheckResult(group: group, name: check.name, worstRelativeError: error, tolerance: check.tolerance))
        }
        return results
    }
}
