// Plugin objectives through the adapter behave like built-ins: the Swift example's
// label-smoothed cross-entropy at ε = 0 equals the built-in `sft`, whole and in chunks.
import Foundation
import RetortDistill
import RetortHost
import Testing

@Suite struct PluginObjectiveAdapterTests {
    let plugin: LoadedPlugin

    init() throws {
        let directory = ProcessInfo.processInfo.environment["RETORT_BUILD_DIR"] ?? PluginDiscovery.executableDirectory() ?? "."
        plugin = try PluginRegistry().load(file: directory + "/libretort_plugin_swift_example.so")
    }

    func evaluate(_ objective: any TokenObjective, rows: Range<Int>, parameters: String) throws -> (ObjectiveValue, [Float]) {
        let positions = 5, vocab = 6
        let logits: [Float] = (0..<positions * vocab).map { Float(cos(Double($0) * 0.9)) * 3 }
        let targets: [Int32] = [2, 0, -1, 5, 1]
        let mask: [Float] = [1, 0.5, 0, 2, 1]
        var gradient = [Float](repeating: .nan, count: rows.count * vocab)
        let value = try logits.withUnsafeBufferPointer { z in
            try targets.withUnsafeBufferPointer { y in
                try mask.withUnsafeBufferPointer { m in
                    try gradient.withUnsafeMutableBufferPointer { g in
                        try objective.evaluate(
                            TokenBatch(studentLogits: z, positions: positions, vocab: vocab, targets: y, lossMask: m,
                                       parametersJSON: parameters),
                            rows: rows, gradient: g)
                    }
                }
            }
        }
        return (value, gradient)
    }

    @Test func labelSmoothingWithZeroEpsilonEqualsBuiltInSFT() throws {
        let adapter = try PluginTokenObjective(plugin: plugin, objective: "label-smoothed-ce")
        let sft = try ObjectiveRegistry.builtIn.makeTokenObjective("sft", parameters: [:])
        let (pluginValue, pluginGradient) = try evaluate(adapter, rows: 0..<5, parameters: #"{"epsilon": 0}"#)
        let (builtInValue, builtInGradient) = try evaluate(sft, rows: 0..<5, parameters: "{}")
        #expect(abs(pluginValue.lossSum - builtInValue.lossSum) < 1e-5 * abs(builtInValue.lossSum))
        #expect(pluginValue.weightSum == builtInValue.weightSum)
        for (a, b) in zip(pluginGradient, builtInGradient) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func chunksAddUpToTheWholeBatch() throws {
        let adapter = try PluginTokenObjective(plugin: plugin, objective: "label-smoothed-ce")
        let (whole, wholeGradient) = try evaluate(adapter, rows: 0..<5, parameters: #"{"epsilon": 0.3}"#)
        let (first, firstGradient) = try evaluate(adapter, rows: 0..<2, parameters: #"{"epsilon": 0.3}"#)
        let (second, secondGradient) = try evaluate(adapter, rows: 2..<5, parameters: #"{"epsilon": 0.3}"#)
        #expect(abs(first.lossSum + second.lossSum - whole.lossSum) < 1e-5)
        #expect(first.weightSum + second.weightSum == whole.weightSum)
        for (a, b) in zip(firstGradient + secondGradient, wholeGradient) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func wrongLevelAndUnknownNamesAreRegistryErrors() {
        #expect(throws: RegistryError.self) { try PluginTokenObjective(plugin: plugin, objective: "nope") }
        #expect(throws: RegistryError.self) { try PluginSequenceObjective(plugin: plugin, objective: "label-smoothed-ce") }
    }

    @Test func pluginGradientCheckPasses() throws {
        let checks = ObjectiveGradientChecks.pluginChecks(plugin)
        #expect(checks.map(\.name) == ["swift-example.label-smoothed-ce"])
        for check in checks { #expect(try check.run() <= check.tolerance) }
    }
}
