// The run store's tables, as a list of GRDB migrations. A migration only ever adds (tables,
// columns, indexes): stored work is never dropped or rewritten, so an old run opens in a new Retort.
// A new schema is a new migration appended here, never an edit of a published one.
import GRDB

enum RunStoreSchema {
    /// SQLite's header field for file formats ("RTRT"): tells a run store from other databases.
    static let applicationID: Int32 = 0x5254_5254

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")

            try db.execute(sql: """
                CREATE TABLE run_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE counters (
                    name TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE teacher_calls (
                    key TEXT PRIMARY KEY NOT NULL,
                    backend TEXT NOT NULL,
                    model TEXT NOT NULL,
                    endpoint TEXT,
                    request TEXT NOT NULL,
                    response TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL,
                    completion_tokens INTEGER NOT NULL,
                    latency REAL NOT NULL,
                    cost REAL NOT NULL,
                    created_at DATETIME NOT NULL
                );
                CREATE TABLE stages (
                    name TEXT PRIMARY KEY NOT NULL,
                    total_units INTEGER,
                    units_done INTEGER NOT NULL DEFAULT 0,
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME
                );
                CREATE TABLE stage_units (
                    stage TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    done_at DATETIME NOT NULL,
                    PRIMARY KEY (stage, unit)
                ) WITHOUT ROWID;
                CREATE TABLE records (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    key TEXT NOT NULL UNIQUE,
                    stage TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    strategy TEXT NOT NULL,
                    plugin TEXT NOT NULL,
                    template TEXT NOT NULL,
                    seed_id TEXT NOT NULL,
                    teacher TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    distributions BLOB
                );
                CREATE INDEX records_by_stage_kind ON records (stage, kind, seq);
                CREATE TABLE rejections (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    key TEXT NOT NULL UNIQUE,
                    stage TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    strategy TEXT NOT NULL,
                    plugin TEXT NOT NULL,
                    template TEXT NOT NULL,
                    seed_id TEXT NOT NULL,
                    teacher TEXT NOT NULL,
                    check_name TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    payload TEXT NOT NULL
                );
                CREATE INDEX rejections_by_check ON rejections (check_name, reason);
                """)
        }
        // v2: the training and evaluation stages — every optimizer step's losses, the metrics and
        // sample outputs of every evaluated checkpoint ("baseline" is the un-distilled student), and
        // the files a run produced (student GGUF, report, bundle) with their checksums.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE training_steps (
                    stage TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    loss REAL,
                    objectives TEXT NOT NULL,
                    learning_rate REAL NOT NULL,
                    gradient_norm REAL,
                    tokens INTEGER NOT NULL,
                    skipped INTEGER NOT NULL DEFAULT 0,
                    skip_reason TEXT,
                    PRIMARY KEY (stage, step)
                ) WITHOUT ROWID;
                CREATE TABLE evaluations (
                    checkpoint TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    value REAL,
                    stage TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    recorded_at DATETIME NOT NULL,
                    PRIMARY KEY (checkpoint, metric)
                ) WITHOUT ROWID;
                CREATE TABLE eval_samples (
                    checkpoint TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    prompt TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    output TEXT NOT NULL,
                    PRIMARY KEY (checkpoint, position)
                ) WITHOUT ROWID;
                CREATE TABLE artifacts (
                    kind TEXT PRIMARY KEY NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    created_at DATETIME NOT NULL
                );
                """)
        }
        return migrator
    }
}
