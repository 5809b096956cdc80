// Finite-difference checks of plugin objectives, run through the same adapter and the same
// inputs as the built-in checks, so `retort check gradients` covers plugin losses too.
import RetortHost
import RetortTensor

extension ObjectiveGradientChecks {
    public static let pluginTolerance = 1e-3

    /// One check per token-level objective of `plugin` (dense teacher, τ = 1, fractional and
    /// zero loss weights); a plugin objective that throws reports an infinite error.
    /// The ABI returns the loss as a float, so the central difference resolves only ~1e-4
    /// relative: the tolerance is 1e-3, still far below the O(1) error of a wrong term.
    public static func pluginChecks(_ plugin: LoadedPlugin) -> [GradientCheckItem] {
        plugin.objectives.filter { $0.level == .token }.compactMap { descriptor in
            guard let objective = try? PluginTokenObjective(plugin: plugin, objective: descriptor.name) else { return nil }
            return GradientCheckItem(name: objective.name, tolerance: pluginTolerance) {
                tokenCheck(objective, teacher: .dense, temperature: 1)
            }
        }
    }
}
