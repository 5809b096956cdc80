// The few counts the report needs beyond `RunStats`: records kept and rejected per stage, so the
// funnel shows where in the run the data was lost.
import GRDB

extension RunStore {
    struct StageYield: Sendable, Equatable {
        var stage: String
        var kept: Int
        var rejected: Int
    }

    /// Kept and rejected records of each knowledge stage, in the order the stages started.
    func stageYields() throws -> [StageYield] {
        try read { db in
            try Row.fetchAll(db, sql: """
                WITH kept AS (SELECT stage, COUNT(*) AS n FROM records GROUP BY stage),
                     rejected AS (SELECT stage, COUNT(*) AS n FROM rejections GROUP BY stage),
                     names AS (SELECT stage FROM kept UNION SELECT stage FROM rejected)
                SELECT names.stage AS stage, COALESCE(kept.n, 0) AS kept, COALESCE(rejected.n, 0) AS rejected
                FROM names LEFT JOIN kept ON kept.stage = names.stage LEFT JOIN rejected ON rejected.stage = names.stage
                LEFT JOIN stages s ON s.name = names.stage
                ORDER BY s.rowid IS NULL, s.rowid, names.stage
                """).map { StageYield(stage: $0["stage"], kept: $0["kept"], rejected: $0["rejected"]) }
        }
    }
}
