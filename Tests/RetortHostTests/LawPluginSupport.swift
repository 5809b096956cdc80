// Loads the law plugin from the library `swift build` made.
import Foundation
import RetortHost
import RetortJSON

enum LawPluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_law") }

    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }
}
