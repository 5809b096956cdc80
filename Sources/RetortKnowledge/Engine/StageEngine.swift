// The part of every strategy that is the same: list the units, skip those already committed,
// draft the rest through the UnitRunner, screen candidates (plugin filters, quality, dedup,
// novelty) and commit each unit's records and rejections together.
import RetortJSON
import RetortTeachers

public final class StageEngine: @unchecked Sendable {
    public let stage: StageSettings
    public let context: ElicitationContext
    public let binding: PluginBinding
    public let strategy: String
    let screen: RecordScreen
    private var progress = Counters()
    private var skipped = 0
    private var total = 0
    private var listed = 0

    /// The stage stopped early (its target was met): the units listed so far are all there is.
    public func closeUnits() throws {
        guard listed > 0 else { return }
        total = listed
        try context.sink.setStageTotal(stage: stage.name, units: total)
    }

    /// Announces how many units the stage expects at most, before running them in batches.
    public func expectUnits(_ count: Int) { total = max(total, count) }

    public init(stage: StageSettings, strategy: String, context: ElicitationContext) throws {
        self.stage = stage
        self.context = context
        self.strategy = strategy
        binding = try PluginBinding(registry: context.registry, id: stage.plugin)
        try binding.check(templates: [], parsers: [], filters: stage.filters)
        screen = try RecordScreen(settings: stage.quality)
    }

    public var teacherName: String { context.teacher.identity.description }

    /// Records the stage already kept (a resumed run), fed to the screen so dedup spans restarts.
    public func primeFromStore() throws -> [KnowledgeRecord] {
        let existing = try context.sink.records(stage: stage.name, kind: nil)
        for record in existing { screen.prime(record) }
        return existing
    }

    /// Extra texts the novelty and dedup checks must treat as already present (seed tasks).
    public func primeScreen(instructions: [String]) {
        for text in instructions { screen.primeInstruction(text) }
    }

    /// Runs `unitIDs` (in order); `draft` makes one unit's candidates. `afterFinalize` sees each
    /// unit's kept records (strategies that grow a pool use it).
    public func run(
        unitIDs: [String],
        draft: @escaping @Sendable (Int, String) async throws -> UnitDraft,
        afterFinalize: (Int, [KnowledgeRecord]) -> Void = { _, _ in }
    ) async throws {
        let done = try context.sink.completedUnits(stage: stage.name)
        // A stage may run its units in several calls (Self-Instruct's batches); counts accumulate.
        listed += unitIDs.count
        total = max(total, listed)
        try context.sink.setStageTotal(stage: stage.name, units: total)
        let pending = unitIDs.enumerated().filter { !done.contains($0.element) }.map { (index: $0.offset, id: $0.element) }
        skipped += unitIDs.count - pending.count
        progress.done += unitIDs.count - pending.count
        try await UnitRunner(width: stage.concurrency).run(units: pending, draft: draft, finalize: { index, id, draft in
            let kept = try finalize(unit: id, draft: draft)
            afterFinalize(index, kept)
            reportProgress()
        }, fail: { id, error in
            progress.failures.append("unit \(id): \(error.localizedDescription)")
            // A teacher that fails every call (down, wrong key) stops the stage instead of failing each unit.
            if progress.failures.count >= 8, progress.done == skipped {
                throw StageFailure(stage: stage.name, message: "the first \(progress.failures.count) units failed; last: \(error.localizedDescription)")
            }
            reportProgress()
        })
    }

    struct Counters {
        var done = 0
        var kept = 0
        var rejected = 0
        var failures: [String] = []
    }

    private func reportProgress() {
        context.progress(StageProgress(stage: stage.name, unitsDone: progress.done, unitsTotal: total,
                                       kept: progress.kept, rejected: progress.rejected, failed: progress.failures.count))
    }

    /// Screens a draft and commits it; returns the kept records.
    @discardableResult
    func finalize(unit: String, draft: UnitDraft) throws -> [KnowledgeRecord] {
        var records: [KnowledgeRecord] = []
        var rejections: [RejectedRecord] = []
        var serial = 0
        func key() -> String {
            defer { serial += 1 }
            return "\(stage.name)/\(unit)/\(serial)"
        }
        func provenance(template: String, seedID: String) -> Provenance {
            Provenance(stage: stage.name, strategy: strategy, plugin: stage.plugin,
                       template: template.isEmpty ? "" : binding.qualified(template), seedID: seedID, teacher: teacherName)
        }
        for early in draft.rejections {
            rejections.append(RejectedRecord(key: key(), provenance: provenance(template: early.template, seedID: early.seedID),
                                             check: early.check, reason: early.reason, payload: early.payload))
        }
        for candidate in draft.candidates {
            let recordKey = key()
            let origin = provenance(template: candidate.template, seedID: candidate.seedID)
            if let (check, reason) = try verdict(for: candidate, key: recordKey) {
                rejections.append(RejectedRecord(key: recordKey, provenance: origin, check: check, reason: reason, payload: candidate.payload))
            } else {
                records.append(KnowledgeRecord(key: recordKey, provenance: origin, kind: candidate.kind,
                                               payload: candidate.payload, distributions: candidate.distributions))
            }
        }
        try context.sink.commit(stage: stage.name, unit: unit, records: records, rejections: rejections)
        progress.done += 1
        progress.kept += records.count
        progress.rejected += rejections.count
        return records
    }

    private func verdict(for candidate: Candidate, key: String) throws -> (String, String)? {
        if let rejection = screen.textRejection(candidate.screenText) { return rejection }
        if !candidate.derived, let (filter, reason) = try binding.firstRejection(filters: stage.filters, record: candidate.filterRecord) {
            return (filter, reason)
        }
        if !candidate.derived, let rejection = screen.admit(kind: candidate.kind, payload: candidate.payload, label: key) {
            return rejection
        }
        return nil
    }

    public func report() -> StageReport {
        StageReport(stage: stage.name, unitsTotal: total, unitsSkipped: skipped, unitsCommitted: progress.done - skipped,
                    kept: progress.kept, rejected: progress.rejected, failures: progress.failures)
    }
}
