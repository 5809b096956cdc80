// Where plugins are looked for: the paths given with --plugin-path; if none, the folders in
// RETORT_PLUGIN_PATH; if unset, the folder beside the running executable. A path may name a
// library file (loaded whatever its name) or a folder (scanned for plugin libraries).
import Foundation

public enum PluginDiscovery {
    /// A library in a scanned folder is a plugin if its file name starts with this.
    public static let libraryPrefixes = ["libretort_plugin_", "retort_plugin_"]
    public static let libraryExtensions = ["so", "dylib"]

    /// The search path in force, in order.
    public static func searchPath(explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                                  executableDirectory: String? = executableDirectory()) -> [String] {
        let given = explicit.flatMap { $0.split(separator: ":").map(String.init) }.filter { !$0.isEmpty }
        if !given.isEmpty { return given }
        if let env = environment["RETORT_PLUGIN_PATH"] {
            let paths = env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            if !paths.isEmpty { return paths }
        }
        return executableDirectory.map { [$0] } ?? []
    }

    /// The library files the search path names, in order: files as given, folder contents
    /// sorted by name. A path that does not exist is reported, not skipped silently.
    public static func libraries(in searchPath: [String]) -> (files: [String], missing: [PluginLoadError]) {
        var files: [String] = []
        var missing: [PluginLoadError] = []
        let fm = FileManager.default
        for path in searchPath {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(PluginLoadError(path: path, reason: .fileNotFound))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            for name in names.sorted() where isPluginLibraryName(name) {
                files.append((path as NSString).appendingPathComponent(name))
            }
        }
        return (files, missing)
    }

    public static func isPluginLibraryName(_ name: String) -> Bool {
        libraryPrefixes.contains { name.hasPrefix($0) }
            && libraryExtensions.contains { name.hasSuffix(".\($0)") }
    }

    /// The folder of the running executable (resolving symlinks), or nil if it cannot be found.
    public static func executableDirectory() -> String? {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return (resolved as NSString).deletingLastPathComponent
        }
        #endif
        return Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path
    }
}
