// The extension structs a plugin offers, fetched once after `init` through `get_extension` and
// checked so that no NULL function pointer is ever called.
import RetortABI

struct ExtensionTable: @unchecked Sendable {
    var describe: UnsafePointer<retort_describe_v1>
    var templates: UnsafePointer<retort_templates_v1>?
    var parser: UnsafePointer<retort_parser_v1>?
    var filter: UnsafePointer<retort_filter_v1>?
    var evaluator: UnsafePointer<retort_evaluator_v1>?
    var objective: UnsafePointer<retort_objective_v1>?
    var tools: UnsafePointer<retort_tools_v1>?
    var seeds: UnsafePointer<retort_seeds_v1>?

    /// The ids this table holds, for `retort plugins inspect`.
    var offeredIDs: [String] {
        var ids = [RETORT_EXT_DESCRIBE_V1]
        if templates != nil { ids.append(RETORT_EXT_TEMPLATES_V1) }
        if parser != nil { ids.append(RETORT_EXT_PARSER_V1) }
        if filter != nil { ids.append(RETORT_EXT_FILTER_V1) }
        if evaluator != nil { ids.append(RETORT_EXT_EVALUATOR_V1) }
        if objective != nil { ids.append(RETORT_EXT_OBJECTIVE_V1) }
        if tools != nil { ids.append(RETORT_EXT_TOOLS_V1) }
        if seeds != nil { ids.append(RETORT_EXT_SEEDS_V1) }
        return ids
    }

    /// Asks the plugin for every extension this host knows and checks each function pointer.
    /// `fail` names the NULL field ("retort.parser.v1 parse").
    init(get: (String) -> UnsafeRawPointer?) throws(PluginLoadError.Reason) {
        func fetch<T>(_ id: String, _ type: T.Type) -> UnsafePointer<T>? {
            get(id)?.assumingMemoryBound(to: T.self)
        }
        func require(_ present: Bool, _ field: String) throws(PluginLoadError.Reason) {
            if !present { throw .nullFunction(field) }
        }
        guard let describe = fetch(RETORT_EXT_DESCRIBE_V1, retort_describe_v1.self) else { throw .missingDescribe }
        try require(describe.pointee.manifest != nil, "\(RETORT_EXT_DESCRIBE_V1) manifest")
        self.describe = describe
        templates = fetch(RETORT_EXT_TEMPLATES_V1, retort_templates_v1.self)
        if let t = templates { try require(t.pointee.list != nil, "\(RETORT_EXT_TEMPLATES_V1) list") }
        parser = fetch(RETORT_EXT_PARSER_V1, retort_parser_v1.self)
        if let p = parser {
            try require(p.pointee.list != nil, "\(RETORT_EXT_PARSER_V1) list")
            try require(p.pointee.parse != nil, "\(RETORT_EXT_PARSER_V1) parse")
        }
        filter = fetch(RETORT_EXT_FILTER_V1, retort_filter_v1.self)
        if let f = filter {
            try require(f.pointee.list != nil, "\(RETORT_EXT_FILTER_V1) list")
            try require(f.pointee.apply != nil, "\(RETORT_EXT_FILTER_V1) apply")
        }
        evaluator = fetch(RETORT_EXT_EVALUATOR_V1, retort_evaluator_v1.self)
        if let e = evaluator {
            try require(e.pointee.list != nil, "\(RETORT_EXT_EVALUATOR_V1) list")
            try require(e.pointee.evaluate != nil, "\(RETORT_EXT_EVALUATOR_V1) evaluate")
        }
        objective = fetch(RETORT_EXT_OBJECTIVE_V1, retort_objective_v1.self)
        if let o = objective {
            try require(o.pointee.list != nil, "\(RETORT_EXT_OBJECTIVE_V1) list")
            try require(o.pointee.token_loss != nil, "\(RETORT_EXT_OBJECTIVE_V1) token_loss")
            try require(o.pointee.sequence_loss != nil, "\(RETORT_EXT_OBJECTIVE_V1) sequence_loss")
        }
        tools = fetch(RETORT_EXT_TOOLS_V1, retort_tools_v1.self)
        if let t = tools { try require(t.pointee.list != nil, "\(RETORT_EXT_TOOLS_V1) list") }
        seeds = fetch(RETORT_EXT_SEEDS_V1, retort_seeds_v1.self)
        if let s = seeds { try require(s.pointee.list != nil, "\(RETORT_EXT_SEEDS_V1) list") }
    }
}
