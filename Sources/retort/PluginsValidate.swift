// `retort plugins validate <library>`: load one library alone and say whether it is a valid
// plugin (exit 0) or why not (exit 2).
import ArgumentParser
import RetortPipeline

struct PluginsValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that a shared library is a valid Retort plugin.")

    @Argument(help: "Path to the plugin library (.so or .dylib).") var path: String
    @Flag(help: "Print the plugin's contents as JSON when it is valid.") var json = false

    func run() throws {
        do {
            let details = try PluginCatalog.validate(path: path)
            if json {
                print(details.json.jsonText)
            } else {
                let s = details.summary
                print("ok: \(s.id) \(s.version) (\(s.kind), ABI \(s.abiVersion)) offers \(s.extensions.joined(separator: ", "))")
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
