// Where strategies write. The run store (RetortPipeline) implements it on SQLite; the contract is
// what makes a killed run resumable: a unit of work's records, rejections and its "done" mark are
// committed together, so after a crash a unit is either wholly there or wholly redone (and its
// teacher calls come from the call cache).
public protocol KnowledgeSink: Sendable {
    /// Units of `stage` already committed.
    func completedUnits(stage: String) throws -> Set<String>
    /// Atomically stores a unit's output and marks the unit done. Records and rejections whose key
    /// already exists are left as they are.
    func commit(stage: String, unit: String, records: [KnowledgeRecord], rejections: [RejectedRecord]) throws
    /// Kept records of a stage (all stages when nil), in commit order.
    func records(stage: String?, kind: RecordKind?) throws -> [KnowledgeRecord]
    /// Records the size of a stage's work so progress can be shown and `data stats` reported.
    func setStageTotal(stage: String, units: Int) throws
}
