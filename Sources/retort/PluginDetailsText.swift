// The people-readable form of `retort plugins inspect`.
import Foundation
import RetortPipeline

enum PluginDetailsText {
    static func render(_ d: PluginDetails) -> String {
        let s = d.summary
        var lines = [
            "\(s.id) \(s.version) — \(s.name) (\(s.kind))",
            s.description,
            "library:    \(s.path)",
            "ABI:        \(s.abiVersion)",
            "extensions: \(s.extensions.joined(separator: ", "))",
        ]
        if !d.strategies.isEmpty { lines.append("strategies: \(d.strategies.joined(separator: ", "))") }
        func section(_ title: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            lines.append("")
            lines.append("\(title):")
            lines += items.map { "  \($0)" }
        }
        section("templates", d.templates.map { "\($0.name)  [\($0.role), \($0.strategy)] slots: \($0.slots.joined(separator: ", "))" })
        section("parsers", d.parsers.map { "\($0.name)  yields \($0.yields.joined(separator: ", ")) — \($0.description)" })
        section("filters", d.filters.map { "\($0.name) — \($0.description)" })
        section("evaluators", d.evaluators.map { "\($0.name)  metrics \($0.metrics.joined(separator: ", ")) — \($0.description)" })
        section("objectives", d.objectives.map { "\($0.name)  [\($0.level.rawValue)] — \($0.description)" })
        section("recommended objectives", d.recommendedObjectives.map {
            "\(String(format: "%g", $0.weight)) × \($0.name)  (\($0.origin.rawValue))"
        })
        section("tools", d.tools.map { "\($0.name)  \($0.signature) — \($0.description)" })
        section("seeds", d.seeds.map { seed in
            switch seed.source {
            case .items(let items): "\(seed.name)  [\(seed.kind)] \(items.count) items"
            case .path(let path): "\(seed.name)  [\(seed.kind)] \(path)"
            }
        })
        return lines.joined(separator: "\n")
    }
}
