// One plugin after a successful load: its manifest, what each extension declares, and typed
// calls into it. Calls into an extension that is not thread-safe are serialized here; every
// string the plugin returns is copied and handed back to its `free_string`.
import Foundation
import RetortABI
import RetortJSON

public final class LoadedPlugin: @unchecked Sendable {
    public let path: String
    /// The folder holding the library, where the plugin keeps its resources.
    public let directory: String
    public let manifest: PluginManifest
    public let templates: [PromptTemplate]
    public let parsers: [ParserDescriptor]
    public let filters: [FilterDescriptor]
    public let evaluators: [EvaluatorDescriptor]
    public let objectives: [ObjectiveDescriptor]
    public let tools: [ToolDescriptor]
    public let seeds: [SeedDescriptor]
    public let abiVersion: String

    public var id: String { manifest.id }
    public var extensionIDs: [String] { extensions.offeredIDs }

    let entry: UnsafePointer<retort_plugin_entry_t>
    let extensions: ExtensionTable
    let logSink: PluginLogSink
    private let foreignFunctions: [String: ForeignFunction]
    /// One lock per extension id, used only when that extension is not thread-safe.
    private let locks: [String: NSLock]
    private let deinitLock = NSLock()
    private var deinitialized = false

    init(path: String, directory: String, entry: UnsafePointer<retort_plugin_entry_t>, extensions: ExtensionTable,
         manifest: PluginManifest, logSink: PluginLogSink, catalog: PluginCatalogParts,
         foreignFunctions: [String: ForeignFunction]) {
        self.path = path
        self.directory = directory
        self.entry = entry
        self.extensions = extensions
        self.manifest = manifest
        self.logSink = logSink
        self.templates = catalog.templates
        self.parsers = catalog.parsers
        self.filters = catalog.filters
        self.evaluators = catalog.evaluators
        self.objectives = catalog.objectives
        self.tools = catalog.tools
        self.seeds = catalog.seeds
        self.foreignFunctions = foreignFunctions
        abiVersion = "\(entry.pointee.abi_version.major).\(entry.pointee.abi_version.minor)"
        var locks: [String: NSLock] = [:]
        for id in extensions.offeredIDs { locks[id] = NSLock() }
        self.locks = locks
    }

    // MARK: Calls

    /// Runs one extension call with the extension's lock (if it is not thread-safe), then takes
    /// ownership of the returned string and error message.
    func invoke(_ extensionID: String, threadSafe: Bool, call: String,
                _ body: (PluginOutString, PluginOutString) -> retort_status) throws(PluginCallError) -> String? {
        let lock = threadSafe ? nil : locks[extensionID]
        lock?.lock()
        let result = PluginStringCall(entry: entry, body)
        lock?.unlock()
        guard result.succeeded else {
            throw PluginCallError(plugin: id, call: call, status: .init(result.status), message: result.failureMessage)
        }
        return result.text
    }

    func json(_ text: String?, call: String) throws(PluginCallError) -> JSONValue {
        guard let text else {
            throw PluginCallError(plugin: id, call: call, status: .badResult, message: "returned RETORT_OK but no JSON")
        }
        do { return try JSONValue(parsing: text) } catch {
            throw PluginCallError(plugin: id, call: call, status: .badResult, message: "returned \(error.message)")
        }
    }

    /// Parses one teacher output into records (Eq. 1's Parse). A `.parse` status means the
    /// teacher output was rejected; the message is the reason to store.
    public func parse(parser name: String, output: String, context: JSONValue = [:]) throws(PluginCallError) -> [JSONValue] {
        let call = "parser '\(name)'"
        guard let ext = extensions.parser else { throw missing(RETORT_EXT_PARSER_V1, call) }
        let text = try invoke(RETORT_EXT_PARSER_V1, threadSafe: ext.pointee.thread_safe, call: call) { out, err in
            ext.pointee.parse!(name, output, context.jsonText, out, err)
        }
        let value = try json(text, call: call)
        guard let records = value.arrayValue, records.allSatisfy({ $0.objectValue != nil }) else {
            throw PluginCallError(plugin: id, call: call, status: .badResult,
                                  message: "must return a JSON array of objects, returned \(value.typeName)")
        }
        return records
    }

    public struct FilterVerdict: Sendable, Equatable {
        public let keep: Bool
        public let score: Double?
        public let reason: String?
    }

    public func filter(_ name: String, record: JSONValue, context: JSONValue = [:]) throws(PluginCallError) -> FilterVerdict {
        let call = "filter '\(name)'"
        guard let ext = extensions.filter else { throw missing(RETORT_EXT_FILTER_V1, call) }
        var verdict = retort_filter_verdict(keep: false, score: .nan, reason: nil)
        _ = try invoke(RETORT_EXT_FILTER_V1, threadSafe: ext.pointee.thread_safe, call: call) { _, err in
            ext.pointee.apply!(name, record.jsonText, context.jsonText, &verdict, err)
        }
        let reason = PluginStringCall.take(verdict.reason, entry: entry)
        if !verdict.keep, reason == nil {
            throw PluginCallError(plugin: id, call: call, status: .badResult, message: "rejected a record without a reason")
        }
        return FilterVerdict(keep: verdict.keep, score: verdict.score.isNaN ? nil : verdict.score, reason: reason)
    }

    public func evaluate(_ name: String, prompt: String, reference: String, prediction: String) throws(PluginCallError)
        -> [String: Double]
    {
        let call = "evaluator '\(name)'"
        guard let ext = extensions.evaluator else { throw missing(RETORT_EXT_EVALUATOR_V1, call) }
        let text = try invoke(RETORT_EXT_EVALUATOR_V1, threadSafe: ext.pointee.thread_safe, call: call) { out, err in
            ext.pointee.evaluate!(name, prompt, reference, prediction, out, err)
        }
        let value = try json(text, call: call)
        guard let scores = value.objectValue, scores.values.allSatisfy({ $0.doubleValue != nil }) else {
            throw PluginCallError(plugin: id, call: call, status: .badResult,
                                  message: "must return a JSON object of numbers, returned \(value.jsonText)")
        }
        return scores.compactMapValues(\.doubleValue)
    }

    /// Token-level objective: writes dL/dlogits into `gradient` (positions × vocab floats).
    public func tokenLoss(_ name: String, batch: retort_token_batch_v1, gradient: UnsafeMutablePointer<Float>)
        throws(PluginCallError) -> Float
    {
        var batch = batch
        return try objectiveCall(name) { ext, loss, err in ext.token_loss!(name, &batch, loss, gradient, err) }
    }

    /// Sequence-level objective: writes dL/dlogp into `gradient` (one float per sequence).
    public func sequenceLoss(_ name: String, batch: retort_sequence_batch_v1, gradient: UnsafeMutablePointer<Float>)
        throws(PluginCallError) -> Float
    {
        var batch = batch
        return try objectiveCall(name) { ext, loss, err in ext.sequence_loss!(name, &batch, loss, gradient, err) }
    }

    /// Runs one `retort.objective.v1` loss function and returns the loss it wrote.
    private func objectiveCall(_ name: String,
                               _ body: (retort_objective_v1, UnsafeMutablePointer<Float>, PluginOutString) -> retort_status)
        throws(PluginCallError) -> Float
    {
        let call = "objective '\(name)'"
        guard let ext = extensions.objective else { throw missing(RETORT_EXT_OBJECTIVE_V1, call) }
        var loss: Float = .nan
        _ = try invoke(RETORT_EXT_OBJECTIVE_V1, threadSafe: ext.pointee.thread_safe, call: call) { _, err in
            body(ext.pointee, &loss, err)
        }
        return loss
    }

    /// Calls a native tool through libffi with JSON arguments.
    public func callTool(_ name: String, arguments: JSONValue) throws(ToolCallError) -> JSONValue {
        guard let function = foreignFunctions[name] else {
            throw ToolCallError(tool: "\(id).\(name)",
                                message: "no such tool; plugin \(id) has \(tools.isEmpty ? "no tools" : "\(tools.map(\.name))")")
        }
        let threadSafe = extensions.tools?.pointee.thread_safe ?? false
        let lock = threadSafe ? nil : locks[RETORT_EXT_TOOLS_V1]
        lock?.lock()
        defer { lock?.unlock() }
        return try function.call(arguments: arguments)
    }

    /// The items of a seed set, read from the plugin folder for file-backed sets.
    public func seedItems(_ name: String) throws(SeedFileError) -> [JSONValue] {
        guard let seed = seeds.first(where: { $0.name == name }) else {
            throw SeedFileError(file: "\(id).\(name)", line: nil,
                                message: "no such seed set; plugin \(id) has \(seeds.map(\.name))")
        }
        switch seed.source {
        case .items(let items): return items
        case .path(let relative): return try SeedFile.read(path: directory + "/" + relative)
        }
    }

    func missing(_ extensionID: String, _ call: String) -> PluginCallError {
        PluginCallError(plugin: id, call: call, status: .notFound, message: "the plugin offers no \(extensionID) extension")
    }

    /// Calls the plugin's `deinit` once. The library stays loaded.
    public func shutdown() {
        deinitLock.withLock {
            guard !deinitialized else { return }
            deinitialized = true
            entry.pointee.deinit?()
        }
    }
}

/// The validated `list` results of a plugin, gathered by the loader.
struct PluginCatalogParts {
    var templates: [PromptTemplate] = []
    var parsers: [ParserDescriptor] = []
    var filters: [FilterDescriptor] = []
    var evaluators: [EvaluatorDescriptor] = []
    var objectives: [ObjectiveDescriptor] = []
    var tools: [ToolDescriptor] = []
    var seeds: [SeedDescriptor] = []
}
