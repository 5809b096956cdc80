// The run store: one SQLite file per run (`<run-dir>/run.sqlite`, WAL mode) holding the teacher
// call cache, the records and rejections of every stage, which units of work are done, and the
// run's metadata. Every write is one transaction, so a killed run resumes from what was committed.
// Safe to share between tasks: GRDB's pool serializes writes and runs reads concurrently.
// Durability: WAL with synchronous=NORMAL (GRDB's setting), so a killed process loses nothing
// committed; a power cut may drop the last commits (never corrupting the file), and a resumed run
// redoes those units. FULL would cost an fsync per teacher-cache hit.
import Foundation
import GRDB

public final class RunStore: Sendable {
    public static let fileName = "run.sqlite"

    /// Well-known `run_meta` keys.
    public enum MetaKey {
        public static let recipe = "recipe"
        public static let retortVersion = "retort_version"
    }

    /// The run folder and the database file in it.
    public let directory: String
    public let path: String
    let pool: DatabasePool

    /// Opens the run store of `runDirectory`. With `create`, the folder and the file are made when
    /// missing (starting a run); without it, a missing store is an error (stats, export).
    public init(runDirectory: String, create: Bool = true) throws {
        directory = runDirectory
        path = (runDirectory as NSString).appendingPathComponent(Self.fileName)
        try Self.prepare(directory: runDirectory, file: path, create: create)

        var configuration = Configuration()
        configuration.label = "retort-run-store"
        // Only another process (a second `retort` on the same folder) can hold the lock this long.
        configuration.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw RunStoreError.translating(error, path: path)
        }
        try checkIdentityAndMigrate()
    }

    private static func prepare(directory: String, file: String, create: Bool) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw RunStoreError.badRunDirectory(path: directory, reason: "it is a file, not a folder")
            }
        } else {
            guard create else { throw RunStoreError.missing(path: file) }
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw RunStoreError.badRunDirectory(path: directory, reason: error.localizedDescription)
            }
        }
        if fm.fileExists(atPath: file, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw RunStoreError.notARunStore(path: file, reason: "it is a folder") }
        } else if !create {
            throw RunStoreError.missing(path: file)
        }
    }

    /// Refuses files that are not run stores before anything is written to them, and files from a
    /// newer schema; then applies the migrations this file lacks (they only ever add). A current
    /// store is not written to, so `data stats` can read a run that another process is writing.
    private func checkIdentityAndMigrate() throws {
        let migrator = RunStoreSchema.migrator
        let needsMigration = try read { db -> Bool in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            if applicationID == RunStoreSchema.applicationID {
                let applied = try migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(migrator.migrations).sorted()
                if !unknown.isEmpty { throw RunStoreError.newerSchema(path: path, unknownMigrations: unknown) }
                return applied != Set(migrator.migrations)
            } else if applicationID != 0 {
                throw RunStoreError.notARunStore(
                    path: path, reason: "an SQLite database with application id \(String(format: "0x%08X", UInt32(bitPattern: applicationID)))")
            } else if !tables.isEmpty {
                throw RunStoreError.notARunStore(
                    path: path, reason: "an SQLite database of something else, with tables \(tables.prefix(5).joined(separator: ", "))")
            }
            return true
        }
        guard needsMigration else { return }
        do {
            try migrator.migrate(pool)
        } catch {
            throw RunStoreError.translating(error, path: path)
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one write transaction (rolled back when it throws).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch {
            throw RunStoreError.translating(error, path: path)
        }
    }

    /// Runs `body` on a consistent snapshot, concurrently with other reads and with the writer.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch {
            throw RunStoreError.translating(error, path: path)
        }
    }

    // MARK: - Run metadata

    /// Sets a `run_meta` value (the recipe text, the Retort version…), replacing the old one.
    public func setMeta(_ key: String, _ value: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO run_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    public func meta(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM run_meta WHERE key = ?", arguments: [key]) }
    }

    public func allMeta() throws -> [String: String] {
        try read { db in
            var meta: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM run_meta") {
                meta[row["key"]] = row["value"] as String
            }
            return meta
        }
    }

    // MARK: - Health

    /// SQLite's full integrity check: an empty list when the file is sound, else what is wrong.
    /// Reads every page, so it takes time on a large run; opening does not call it.
    public func integrityProblems() throws -> [String] {
        let lines = try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return lines == ["ok"] ? [] : lines
    }
}
