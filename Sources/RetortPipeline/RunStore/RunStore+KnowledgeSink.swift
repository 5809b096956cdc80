// The run store as the place strategies write (KnowledgeSink): a unit's records, rejections and
// "done" mark go in one transaction, keys that already exist are left alone, and records come back
// in commit order.
import Foundation
import GRDB
import RetortJSON
import RetortKnowledge
import RetortModels

extension RunStore: KnowledgeSink {
    public func completedUnits(stage: String) throws -> Set<String> {
        try read { db in try String.fetchSet(db, sql: "SELECT unit FROM stage_units WHERE stage = ?", arguments: [stage]) }
    }

    public func commit(stage: String, unit: String, records: [KnowledgeRecord], rejections: [RejectedRecord]) throws {
        try Self.checkCommit(stage: stage, unit: unit, records: records, rejections: rejections)
        // Encode before taking the write lock: the transaction then only inserts.
        let recordRows = records.map { record in
            (record, record.payload.jsonText, record.distributions.map(SparseDistributionsCoding.blob))
        }
        try write { db in
            let now = Date()
            try db.execute(
                sql: "INSERT OR IGNORE INTO stages (name, total_units, started_at) VALUES (?, NULL, ?)",
                arguments: [stage, now])
            let insertRecord = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO records
                    (key, stage, unit, strategy, plugin, template, seed_id, teacher, kind, payload, distributions)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (record, payload, distributions) in recordRows {
                let p = record.provenance
                try insertRecord.execute(arguments: [
                    record.key, p.stage, unit, p.strategy, p.plugin, p.template, p.seedID, p.teacher,
                    record.kind.rawValue, payload, distributions,
                ])
            }
            let insertRejection = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO rejections
                    (key, stage, unit, strategy, plugin, template, seed_id, teacher, check_name, reason, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for rejection in rejections {
                let p = rejection.provenance
                try insertRejection.execute(arguments: [
                    rejection.key, p.stage, unit, p.strategy, p.plugin, p.template, p.seedID, p.teacher,
                    rejection.check, rejection.reason, rejection.payload.jsonText,
                ])
            }
            try db.execute(
                sql: "INSERT OR IGNORE INTO stage_units (stage, unit, done_at) VALUES (?, ?, ?)",
                arguments: [stage, unit, now])
            if db.changesCount == 1 {
                try db.execute(sql: "UPDATE stages SET units_done = units_done + 1 WHERE name = ?", arguments: [stage])
                try Self.markFinishedIfComplete(db, stage: stage, now: now)
            }
        }
    }

    public func records(stage: String?, kind: RecordKind?) throws -> [KnowledgeRecord] {
        var records: [KnowledgeRecord] = []
        try forEachRecord(stage: stage, kind: kind) { records.append($0) }
        return records
    }

    /// Streams kept records in commit order without holding them all in memory (exports of runs
    /// with distributions can be gigabytes). `body` runs on a consistent snapshot of the store and
    /// must not call back into the store: GRDB connections are not reentrant.
    func forEachRecord(stage: String?, kind: RecordKind?, _ body: (KnowledgeRecord) throws -> Void) throws {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let stage { conditions.append("stage = ?"); arguments += [stage] }
        if let kind { conditions.append("kind = ?"); arguments += [kind.rawValue] }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT key, stage, strategy, plugin, template, seed_id, teacher, kind, payload, distributions
                FROM records \(filter) ORDER BY seq
                """, arguments: arguments)
            while let row = try rows.next() {
                try body(try decodeRecord(row))
            }
        }
    }

    /// Rejected records of a stage (all stages when nil), in commit order.
    public func rejections(stage: String?) throws -> [RejectedRecord] {
        let filter = stage == nil ? "" : "WHERE stage = ?"
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT key, stage, strategy, plugin, template, seed_id, teacher, check_name, reason, payload
                FROM rejections \(filter) ORDER BY seq
                """, arguments: StatementArguments(stage.map { [$0] } ?? []))
            .map { row in
                let key: String = row["key"]
                return RejectedRecord(key: key, provenance: Self.provenance(row), check: row["check_name"], reason: row["reason"],
                                      payload: try decodePayload(row["payload"], key: key, table: "rejection"))
            }
        }
    }

    /// The stages that have started, in the order they started.
    public func stageNames() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT name FROM stages ORDER BY rowid") }
    }

    public func setStageTotal(stage: String, units: Int) throws {
        guard units >= 0 else { throw RunStoreError.invalidInput("stage \(stage) cannot have \(units) units") }
        try write { db in
            let now = Date()
            try db.execute(sql: """
                INSERT INTO stages (name, total_units, started_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET total_units = excluded.total_units
                """, arguments: [stage, units, now])
            // A larger total (more seeds on resume) reopens a finished stage.
            try db.execute(
                sql: "UPDATE stages SET finished_at = NULL WHERE name = ? AND units_done < total_units",
                arguments: [stage])
            try Self.markFinishedIfComplete(db, stage: stage, now: now)
        }
    }

    // MARK: - Helpers

    private static func markFinishedIfComplete(_ db: Database, stage: String, now: Date) throws {
        try db.execute(sql: """
            UPDATE stages SET finished_at = ?
            WHERE name = ? AND finished_at IS NULL AND total_units IS NOT NULL AND units_done >= total_units
            """, arguments: [now, stage])
    }

    /// Refuses writes that would store something no reader can use, before the transaction.
    private static func checkCommit(stage: String, unit: String, records: [KnowledgeRecord], rejections: [RejectedRecord]) throws {
        guard !stage.isEmpty else { throw RunStoreError.invalidInput("a commit needs a stage name") }
        guard !unit.isEmpty else { throw RunStoreError.invalidInput("a commit in stage \(stage) needs a unit name") }
        for record in records {
            guard !record.key.isEmpty else { throw RunStoreError.invalidInput("a record of unit \(unit) in stage \(stage) has an empty key") }
            guard record.provenance.stage == stage else {
                throw RunStoreError.invalidInput("record \(record.key) says stage \(record.provenance.stage) but is committed in stage \(stage)")
            }
            if let d = record.distributions, let problem = SparseDistributionsCoding.problem(in: d) {
                throw RunStoreError.invalidInput("the distributions of record \(record.key) are inconsistent: \(problem)")
            }
        }
        for rejection in rejections {
            guard !rejection.key.isEmpty else { throw RunStoreError.invalidInput("a rejection of unit \(unit) in stage \(stage) has an empty key") }
            guard rejection.provenance.stage == stage else {
                throw RunStoreError.invalidInput("rejection \(rejection.key) says stage \(rejection.provenance.stage) but is committed in stage \(stage)")
            }
        }
    }

    private static func provenance(_ row: Row) -> Provenance {
        Provenance(stage: row["stage"], strategy: row["strategy"], plugin: row["plugin"], template: row["template"],
                   seedID: row["seed_id"], teacher: row["teacher"])
    }

    private func decodeRecord(_ row: Row) throws -> KnowledgeRecord {
        let key: String = row["key"]
        let kindName: String = row["kind"]
        guard let kind = RecordKind(rawValue: kindName) else {
            throw RunStoreError.corrupt(path: path, detail: "record \(key) has kind '\(kindName)', unknown to this Retort (\(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var distributions: SparseDistributions?
        if let blob: Data = row["distributions"] {
            do throws(ByteReadError) {
                distributions = try SparseDistributionsCoding.decodeBlob(blob)
            } catch {
                throw RunStoreError.corrupt(path: path, detail: "the distributions of record \(key), at byte \(error.offset): \(error.message)")
            }
        }
        return KnowledgeRecord(key: key, provenance: Self.provenance(row), kind: kind,
                               payload: try decodePayload(row["payload"], key: key, table: "record"), distributions: distributions)
    }

    private func decodePayload(_ text: String, key: String, table: String) throws -> JSONValue {
        do throws(JSONTextError) {
            return try JSONValue(parsing: text)
        } catch {
            throw RunStoreError.corrupt(path: path, detail: "the payload of \(table) \(key) is \(error.message)")
        }
    }
}
