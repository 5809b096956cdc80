// What a strategy works with: the teacher (already wrapped by the run store's cache and the
// request policy), the sink it commits to, the loaded plugins, and where progress goes.
import RetortHost
import RetortTeachers

public struct StageProgress: Sendable {
    public var stage: String
    public var unitsDone: Int
    public var unitsTotal: Int
    public var kept: Int
    public var rejected: Int
    public var failed: Int
}

public struct ElicitationContext: Sendable {
    public let teacher: any Teacher
    public let sink: any KnowledgeSink
    public let registry: PluginRegistry
    public let progress: @Sendable (StageProgress) -> Void

    public init(teacher: any Teacher, sink: any KnowledgeSink, registry: PluginRegistry,
                progress: @escaping @Sendable (StageProgress) -> Void = { _ in }) {
        self.teacher = teacher
        self.sink = sink
        self.registry = registry
        self.progress = progress
    }
}

/// How a stage ended.
public struct StageReport: Sendable {
    public var stage: String
    public var unitsTotal: Int
    /// Units done before this invocation (a resumed run skips them).
    public var unitsSkipped: Int
    public var unitsCommitted: Int
    public var kept: Int
    public var rejected: Int
    /// Units whose teacher calls failed for good; not committed, so running again retries them.
    public var failures: [String]
}
