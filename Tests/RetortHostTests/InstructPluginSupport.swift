// Loads the instruct skill plugin from the library `swift build` made, as the host loads any plugin,
// and gives its tests short ways to call a parser and read its error.
import Foundation
import RetortHost
import RetortJSON
import Testing

enum InstructPluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_instruct") }

    /// The loaded plugin; fails loudly when the library was not built.
    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }
}

extension LoadedPlugin {
    /// The one record a single-record parser yields.
    func parseOne(_ parser: String, _ output: String) throws -> JSONValue {
        let records = try parse(parser: parser, output: output)
        #expect(records.count == 1, "\(parser) yielded \(records.count) records for \(output.debugDescription)")
        return try #require(records.first)
    }

    /// The parse error for `output`, or nil (with a recorded issue) if the parser accepted it.
    func parseError(_ parser: String, _ output: String) -> PluginCallError? {
        do {
            let records = try parse(parser: parser, output: output)
            Issue.record("\(parser) accepted \(output.debugDescription) and yielded \(records)")
            return nil
        } catch {
            #expect(error.status == .parse, "\(parser): \(error.message)")
            return error
        }
    }
}
