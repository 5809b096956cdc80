// Loads the medical vertical plugin from the library `swift build` made, as the host loads any
// plugin. Parser helpers (`parseOne`, `parseError`) come from InstructPluginSupport.swift.
import Foundation
import RetortHost
import RetortJSON
import Testing

enum MedicalPluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_medical") }

    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }
}
