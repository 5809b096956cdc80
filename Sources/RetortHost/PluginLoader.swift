// Loads one plugin library: dlopen (never unloaded), find and check the entry, the ABI version
// and every function pointer, call `init`, then read and validate the manifest and everything
// the extensions declare. Any failure is a `PluginLoadError` naming the file.
import Foundation
import RetortABI
import RetortJSON

enum PluginLoader {
    /// Already-opened libraries, keyed by dlopen handle: the same file reached by two paths is
    /// one library and must not be initialized twice.
    nonisolated(unsafe) private static var opened: [UnsafeMutableRawPointer: LoadedPlugin] = [:]
    private static let lock = NSLock()

    static func load(path: String) throws(PluginLoadError) -> LoadedPlugin {
        lock.lock()
        defer { lock.unlock() }
        return try loadLocked(path: path)
    }

    private static func loadLocked(path: String) throws(PluginLoadError) -> LoadedPlugin {
        func fail(_ reason: PluginLoadError.Reason) -> PluginLoadError { PluginLoadError(path: path, reason: reason) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw fail(.fileNotFound)
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        // RTLD_NODELETE: a Swift library must never be unloaded (the runtime keeps its metadata).
        guard let handle = dlopen(absolute, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw fail(.notASharedLibrary(dlerror().map { String(cString: $0) } ?? "dlopen failed"))
        }
        if let plugin = opened[handle] { return plugin }
        guard let symbol = dlsym(handle, retortEntrySymbol) else { throw fail(.missingEntry) }
        let entry = UnsafePointer(symbol.assumingMemoryBound(to: retort_plugin_entry_t.self))
        let version = entry.pointee.abi_version
        guard version.major == HostABI.major else {
            throw fail(.abiMajorMismatch(plugin: "\(version.major).\(version.minor)", host: HostABI.versionString))
        }
        guard let initialize = entry.pointee.`init` else { throw fail(.nullFunction("entry init")) }
        guard entry.pointee.deinit != nil else { throw fail(.nullFunction("entry deinit")) }
        guard let getExtension = entry.pointee.get_extension else { throw fail(.nullFunction("entry get_extension")) }
        guard entry.pointee.free_string != nil else { throw fail(.nullFunction("entry free_string")) }

        let directory = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
        let sink = PluginLogSink(label: URL(fileURLWithPath: absolute).lastPathComponent)
        if version.minor > HostABI.minor {
            sink.logger.warning("\(absolute): built against ABI \(version.major).\(version.minor), newer than this host's \(HostABI.versionString); extensions added after \(HostABI.versionString) are not used")
        }
        let host = HostServices.make(sink: sink)
        guard directory.withCString({ initialize(host, $0) }) else { throw fail(.initFailed(sink.lastError)) }

        let extensions: ExtensionTable
        do {
            extensions = try ExtensionTable(get: { id in id.withCString { getExtension($0) } })
        } catch {
            entry.pointee.deinit?()
            throw fail(error)
        }
        do {
            let plugin = try describe(path: path, absolutePath: absolute, directory: directory, handle: handle, entry: entry,
                                      extensions: extensions, sink: sink)
            opened[handle] = plugin
            return plugin
        } catch {
            entry.pointee.deinit?()
            throw error
        }
    }

    /// Reads the manifest and every `list`, validating each, and resolves the tool symbols.
    private static func describe(path: String, absolutePath: String, directory: String, handle: UnsafeMutableRawPointer,
                                 entry: UnsafePointer<retort_plugin_entry_t>, extensions: ExtensionTable,
                                 sink: PluginLogSink) throws(PluginLoadError) -> LoadedPlugin {
        func fail(_ reason: PluginLoadError.Reason) -> PluginLoadError { PluginLoadError(path: path, reason: reason) }
        /// Calls a `list`-style function and parses its JSON.
        func listJSON(_ id: String, _ call: (PluginOutString, PluginOutString) -> retort_status) throws(PluginLoadError) -> JSONValue {
            let result = PluginStringCall(entry: entry, call)
            guard result.succeeded else { throw fail(.extensionCallFailed(extensionID: id, message: result.failureMessage)) }
            guard let text = result.text else { throw fail(.extensionCallFailed(extensionID: id, message: "returned no JSON")) }
            do { return try JSONValue(parsing: text) } catch {
                throw fail(.invalidJSON(extensionID: id, message: error.message))
            }
        }
        func decode<T>(_ id: String, _ json: JSONValue, _ decoder: (JSONValue) throws(DescriptorError) -> T)
            throws(PluginLoadError) -> T
        {
            do { return try decoder(json) } catch { throw fail(.invalidDescriptor(extensionID: id, message: error.message)) }
        }

        let manifestJSON = try listJSON(RETORT_EXT_DESCRIBE_V1) { extensions.describe.pointee.manifest!($0, $1) }
        let manifest: PluginManifest
        do { manifest = try PluginManifest(json: manifestJSON) } catch { throw fail(.invalidManifest(error.message)) }
        sink.rename(manifest.id)

        var parts = PluginCatalogParts()
        if let ext = extensions.templates {
            let descriptors = try decode(RETORT_EXT_TEMPLATES_V1, try listJSON(RETORT_EXT_TEMPLATES_V1) { ext.pointee.list!($0, $1) },
                                         Decode.templates)
            for descriptor in descriptors {
                do { parts.templates.append(try PromptTemplate(pluginID: manifest.id, descriptor: descriptor)) } catch {
                    throw fail(.invalidDescriptor(extensionID: RETORT_EXT_TEMPLATES_V1, message: error.message))
                }
            }
        }
        if let ext = extensions.parser {
            parts.parsers = try decode(RETORT_EXT_PARSER_V1, try listJSON(RETORT_EXT_PARSER_V1) { ext.pointee.list!($0, $1) },
                                       Decode.parsers)
        }
        if let ext = extensions.filter {
            parts.filters = try decode(RETORT_EXT_FILTER_V1, try listJSON(RETORT_EXT_FILTER_V1) { ext.pointee.list!($0, $1) },
                                       Decode.filters)
        }
        if let ext = extensions.evaluator {
            parts.evaluators = try decode(RETORT_EXT_EVALUATOR_V1,
                                          try listJSON(RETORT_EXT_EVALUATOR_V1) { ext.pointee.list!($0, $1) },
                                          Decode.evaluators)
        }
        if let ext = extensions.objective {
            parts.objectives = try decode(RETORT_EXT_OBJECTIVE_V1,
                                          try listJSON(RETORT_EXT_OBJECTIVE_V1) { ext.pointee.list!($0, $1) },
                                          Decode.objectives)
        }
        if let ext = extensions.seeds {
            parts.seeds = try decode(RETORT_EXT_SEEDS_V1, try listJSON(RETORT_EXT_SEEDS_V1) { ext.pointee.list!($0, $1) },
                                     Decode.seeds)
        }
        var functions: [String: ForeignFunction] = [:]
        if let ext = extensions.tools {
            parts.tools = try decode(RETORT_EXT_TOOLS_V1, try listJSON(RETORT_EXT_TOOLS_V1) { ext.pointee.list!($0, $1) },
                                     Decode.tools)
            for tool in parts.tools {
                guard let address = dlsym(handle, tool.symbol) else {
                    throw fail(.invalidDescriptor(extensionID: RETORT_EXT_TOOLS_V1,
                                                  message: "tool \"\(tool.name)\": symbol `\(tool.symbol)` is not exported by the library"))
                }
                do {
                    functions[tool.name] = try ForeignFunction(qualifiedName: "\(manifest.id).\(tool.name)", signature: tool.signature,
                                                               address: address, freeString: entry.pointee.free_string!)
                } catch {
                    throw fail(.invalidDescriptor(extensionID: RETORT_EXT_TOOLS_V1, message: error.message))
                }
            }
        }
        return LoadedPlugin(path: absolutePath, directory: directory, entry: entry, extensions: extensions, manifest: manifest,
                            logSink: sink, catalog: parts, foreignFunctions: functions)
    }
}
