// Finds the plugin libraries `swift build` put beside the test binary, so tests load the real
// C and Swift example plugins and the broken fixture plugins exactly as users' plugins load.
import Foundation
import RetortHost

enum BuildProducts {
    /// The build folder: $RETORT_BUILD_DIR, else the folder of the running test binary.
    static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["RETORT_BUILD_DIR"] { return dir }
        var dir = PluginDiscovery.executableDirectory() ?? "."
        // On macOS the test binary sits inside a .xctest bundle.
        while dir.contains(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir
    }

    static func library(_ product: String) -> String {
        #if os(macOS)
        let ext = "dylib"
        #else
        let ext = "so"
        #endif
        return "\(directory)/lib\(product).\(ext)"
    }

    static var cExample: String { library("retort_plugin_c_example") }
    static var swiftExample: String { library("retort_plugin_swift_example") }
    static func fixture(_ name: String) -> String { library("retort_fixture_\(name)") }

    /// Fails loudly when the libraries were not built (run `swift build` before `swift test`).
    static func requireBuilt() throws {
        for path in [cExample, swiftExample] where !FileManager.default.fileExists(atPath: path) {
            throw MissingBuildProduct(path: path)
        }
    }

    struct MissingBuildProduct: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing: run `swift build` before `swift test` (make test does)" }
    }

    /// A fresh temporary folder for one test.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "retort-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
