// Loads the rag plugin from the library `swift build` made.
import Foundation
import RetortHost
import RetortJSON

enum RagPluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_rag") }

    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }
}
