// Why a plugin library could not be loaded. Every message names the file and says what to do;
// the host reports it on one line and goes on loading the other plugins.
import Foundation

public struct PluginLoadError: Error, LocalizedError, Sendable, Equatable {
    public enum Reason: Error, Sendable, Equatable {
        case fileNotFound
        case notASharedLibrary(String)
        case missingEntry
        case abiMajorMismatch(plugin: String, host: String)
        case nullFunction(String)
        case initFailed(String?)
        case missingDescribe
        case extensionCallFailed(extensionID: String, message: String)
        case invalidJSON(extensionID: String, message: String)
        case invalidManifest(String)
        case invalidDescriptor(extensionID: String, message: String)
        case duplicateID(String, firstPath: String)
    }

    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var errorDescription: String? { "\(path): \(problem)" }

    /// The problem alone, without the file.
    public var problem: String {
        switch reason {
        case .fileNotFound:
            "no such file"
        case .notASharedLibrary(let detail):
            "not a loadable shared library (\(detail))"
        case .missingEntry:
            "exports no `\(retortEntrySymbol)` symbol; a Retort plugin must define it (see SDK/README.md)"
        case .abiMajorMismatch(let plugin, let host):
            "built against Retort plugin ABI \(plugin), but this host speaks ABI \(host); rebuild the plugin against SDK/include/retort/retort.h of this Retort"
        case .nullFunction(let field):
            "function pointer `\(field)` is NULL; every function of the entry and of each extension must be set"
        case .initFailed(let said):
            "init returned false" + (said.map { ": \($0)" } ?? " without saying why")
        case .missingDescribe:
            "offers no `retort.describe.v1` extension; every plugin must describe itself"
        case .extensionCallFailed(let id, let message):
            "`\(id)` failed: \(message)"
        case .invalidJSON(let id, let message):
            "`\(id)` returned JSON that does not parse: \(message)"
        case .invalidManifest(let message):
            "invalid manifest: \(message)"
        case .invalidDescriptor(let id, let message):
            "`\(id)`: \(message)"
        case .duplicateID(let id, let firstPath):
            "plugin id '\(id)' is already taken by \(firstPath); plugin ids must be unique"
        }
    }
}

let retortEntrySymbol = "retort_plugin_entry"
