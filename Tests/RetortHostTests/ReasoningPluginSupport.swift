// Loads the reasoning skill plugin from the library `swift build` made, as the host loads any
// plugin. Parser helpers (`parseOne`, `parseError`) come from InstructPluginSupport.swift.
import Foundation
import RetortHost
import RetortJSON
import Testing

enum ReasoningPluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_reasoning") }

    /// The loaded plugin; fails loudly when the library was not built.
    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }
}
