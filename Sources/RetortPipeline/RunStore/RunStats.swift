// What a run has produced so far, read from its store: progress per stage, kept records by stage
// and kind, rejections by check and reason, and what the teacher cost. `retort data stats` prints
// it (RunStatsRendering.swift).
import Foundation
import GRDB
import RetortTeachers

public struct RunStats: Sendable, Equatable {
    public struct StageProgress: Sendable, Equatable {
        public var name: String
        public var unitsDone: Int
        /// nil until the stage has said how many units it has.
        public var unitsTotal: Int?
        public var startedAt: Date
        public var finishedAt: Date?
    }

    public struct RecordCount: Sendable, Equatable {
        public var stage: String
        public var kind: String
        public var count: Int
    }

    public struct CheckCount: Sendable, Equatable {
        public var check: String
        public var count: Int
    }

    public struct ReasonCount: Sendable, Equatable {
        public var check: String
        public var reason: String
        public var count: Int
    }

    public struct TeacherUsage: Sendable, Equatable {
        /// TeacherIdentity.description: backend:model[@endpoint].
        public var teacher: String
        public var calls: Int
        public var promptTokens: Int
        public var completionTokens: Int
        public var cost: Double
        /// Seconds spent waiting on this teacher, summed over calls.
        public var latency: Double
    }

    public var runDirectory: String
    /// In the order the stages started.
    public var stages: [StageProgress]
    public var records: [RecordCount]
    /// Most frequent check first.
    public var rejectionsByCheck: [CheckCount]
    /// The most frequent (check, reason) pairs, most frequent first.
    public var topReasons: [ReasonCount]
    /// Rejections by a check whose name starts with "dedup".
    public var duplicates: Int
    public var teachers: [TeacherUsage]
    /// Teacher lookups the call cache answered instead of the teacher.
    public var cacheHits: Int

    public var keptRecords: Int { records.reduce(0) { $0 + $1.count } }
    public var rejectedRecords: Int { rejectionsByCheck.reduce(0) { $0 + $1.count } }
    public var teacherCalls: Int { teachers.reduce(0) { $0 + $1.calls } }
    public var promptTokens: Int { teachers.reduce(0) { $0 + $1.promptTokens } }
    public var completionTokens: Int { teachers.reduce(0) { $0 + $1.completionTokens } }
    public var cost: Double { teachers.reduce(0) { $0 + $1.cost } }
}

extension RunStore {
    /// Reads the run's statistics from one consistent snapshot.
    public func stats(topReasons: Int = 10) throws -> RunStats {
        try read { db in
            let stages = try Row.fetchAll(db, sql: """
                SELECT name, units_done, total_units, started_at, finished_at FROM stages ORDER BY rowid
                """).map {
                RunStats.StageProgress(name: $0["name"], unitsDone: $0["units_done"], unitsTotal: $0["total_units"],
                                       startedAt: $0["started_at"], finishedAt: $0["finished_at"])
            }
            let records = try Row.fetchAll(db, sql: """
                SELECT r.stage AS stage, r.kind AS kind, COUNT(*) AS n
                FROM records r LEFT JOIN stages s ON s.name = r.stage
                GROUP BY r.stage, r.kind ORDER BY MIN(s.rowid), r.stage, r.kind
                """).map { RunStats.RecordCount(stage: $0["stage"], kind: $0["kind"], count: $0["n"]) }
            let byCheck = try Row.fetchAll(db, sql: """
                SELECT check_name, COUNT(*) AS n FROM rejections GROUP BY check_name ORDER BY n DESC, check_name
                """).map { RunStats.CheckCount(check: $0["check_name"], count: $0["n"]) }
            let reasons = try Row.fetchAll(db, sql: """
                SELECT check_name, reason, COUNT(*) AS n FROM rejections
                GROUP BY check_name, reason ORDER BY n DESC, check_name, reason LIMIT ?
                """, arguments: [max(0, topReasons)]).map {
                RunStats.ReasonCount(check: $0["check_name"], reason: $0["reason"], count: $0["n"])
            }
            let duplicates = byCheck.filter { $0.check.hasPrefix("dedup") }.reduce(0) { $0 + $1.count }
            let teachers = try Row.fetchAll(db, sql: """
                SELECT backend, model, endpoint, COUNT(*) AS calls, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion,
                       SUM(cost) AS cost, SUM(latency) AS latency
                FROM teacher_calls GROUP BY backend, model, endpoint ORDER BY calls DESC, backend, model
                """).map { row in
                RunStats.TeacherUsage(
                    teacher: TeacherIdentity(backend: row["backend"], model: row["model"], endpoint: row["endpoint"]).description,
                    calls: row["calls"], promptTokens: row["prompt"], completionTokens: row["completion"],
                    cost: row["cost"], latency: row["latency"])
            }
            let hits = try Int.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [Self.cacheHitsCounter]) ?? 0
            return RunStats(runDirectory: directory, stages: stages, records: records, rejectionsByCheck: byCheck,
                            topReasons: reasons, duplicates: duplicates, teachers: teachers, cacheHits: hits)
        }
    }
}
