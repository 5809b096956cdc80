// Opening a run store: the folder and file are made when starting a run, refused with a message
// naming the file when they are something else, and never written to when refused.
import Foundation
import GRDB
@testable import RetortPipeline
import Testing

@Suite struct RunStoreOpeningTests {
    @Test func startingARunCreatesTheFolderAndAWALDatabase() throws {
        let top = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(top) }
        let dir = top + "/nested/deeper"
        let store = try RunStore(runDirectory: dir)
        #expect(store.path == dir + "/run.sqlite")
        #expect(FileManager.default.fileExists(atPath: store.path))
        #expect(try store.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try store.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") } == RunStoreSchema.applicationID)
        #expect(try store.integrityProblems() == [])
    }

    @Test func metadataSurvivesReopening() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        do {
            let store = try RunStore(runDirectory: dir)
            try store.setMeta(RunStore.MetaKey.recipe, "stages: [label]")
            try store.setMeta(RunStore.MetaKey.retortVersion, "0.1.0")
            try store.setMeta(RunStore.MetaKey.retortVersion, "0.2.0")
        }
        let reopened = try RunStore(runDirectory: dir, create: false)
        #expect(try reopened.meta(RunStore.MetaKey.recipe) == "stages: [label]")
        #expect(try reopened.allMeta() == ["recipe": "stages: [label]", "retort_version": "0.2.0"])
        #expect(try reopened.meta("absent") == nil)
    }

    @Test func aRunBeingWrittenByAnotherProcessCanBeOpenedAndRead() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        do {
            let store = try RunStore(runDirectory: dir)
            try store.commit(stage: "label", unit: "u1", records: [RunStoreFixtures.conversation("k1")], rejections: [])
        }
        // Another writer has committed (so the WAL holds frames, as in a running run) and now
        // holds the write lock with an uncommitted unit in flight.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let writer = try DatabaseQueue(path: dir + "/run.sqlite", configuration: configuration)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO run_meta (key, value) VALUES ('note', 'running')")
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "INSERT INTO stage_units (stage, unit, done_at) VALUES ('label', 'u2', '2025-01-01 00:00:00.000')")
        }
        defer { try? writer.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
        let reader = try RunStore(runDirectory: dir, create: false)
        #expect(try reader.completedUnits(stage: "label") == ["u1"])
        #expect(try reader.stats().keptRecords == 1)
    }

    @Test func readingAMissingRunNeverCreatesOne() throws {
        let dir = RunStoreFixtures.runDirectory()
        #expect(throws: RunStoreError.missing(path: dir + "/run.sqlite")) { try RunStore(runDirectory: dir, create: false) }
        #expect(!FileManager.default.fileExists(atPath: dir))

        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { RunStoreFixtures.remove(dir) }
        #expect(throws: RunStoreError.missing(path: dir + "/run.sqlite")) { try RunStore(runDirectory: dir, create: false) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/run.sqlite"))
    }

    @Test func aFileWhereTheFolderShouldBeIsRefused() throws {
        let path = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(path) }
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: RunStoreError.self) { try RunStore(runDirectory: path) }
        #expect(error == .badRunDirectory(path: path, reason: "it is a file, not a folder"))
        #expect(error.localizedDescription == "cannot use \(path) as a run folder: it is a file, not a folder")
    }

    @Test func aFolderInsideAFileCannotBeCreated() throws {
        let file = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(file) }
        try Data().write(to: URL(fileURLWithPath: file))
        let error = try #require(throws: RunStoreError.self) { try RunStore(runDirectory: file + "/run") }
        guard case .badRunDirectory(let path, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(path == file + "/run")
    }

    @Test func aTextFileNamedRunSqliteIsNotARunStoreAndIsLeftAlone() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/run.sqlite"
        let text = String(repeating: "these are my notes, not a database\n", count: 200)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let error = try #require(throws: RunStoreError.self) { try RunStore(runDirectory: dir) }
        #expect(error == .notARunStore(path: file, reason: "not an SQLite database"))
        #expect(error.localizedDescription.hasPrefix("\(file) is not a Retort run store"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
    }

    @Test func anotherApplicationsDatabaseIsRefusedWithoutBeingTouched() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/run.sqlite"
        do {
            let other = try DatabaseQueue(path: file)
            try other.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)") }
        }
        let error = try #require(throws: RunStoreError.self) { try RunStore(runDirectory: dir) }
        #expect(error == .notARunStore(path: file, reason: "an SQLite database of something else, with tables invoices"))
        let tables = try DatabaseQueue(path: file).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["invoices"], "no migration table may be added to a foreign database")
    }

    @Test func aDatabaseWithAnotherApplicationIDIsRefused() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        do {
            let other = try DatabaseQueue(path: dir + "/run.sqlite")
            try other.writeWithoutTransaction { try $0.execute(sql: "PRAGMA application_id = 1234") }
        }
        let error = try #require(throws: RunStoreError.self) { try RunStore(runDirectory: dir) }
        #expect(error == .notARunStore(path: dir + "/run.sqlite", reason: "an SQLite database with application id 0x000004D2"))
    }

    @Test func aStoreFromANewerRetortIsRefusedAndKept() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        do {
            let store = try RunStore(runDirectory: dir)
            try store.commit(stage: "label", unit: "u1", records: [RunStoreFixtures.conversation("k1")], rejections: [])
            try store.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v7-future')") }
        }
        let error = try #require(throws: RunStoreError.self) { try RunStore(runDirectory: dir) }
        #expect(error == .newerSchema(path: dir + "/run.sqlite", unknownMigrations: ["v7-future"]))
        #expect(error.localizedDescription.contains("upgrade Retort"))
        let count = try DatabaseQueue(path: dir + "/run.sqlite").read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM records") }
        #expect(count == 1)
    }

    @Test func aDamagedHeaderReadsAsNotADatabase() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let file = try Self.storeWithManyRecords(in: dir)
        try Self.overwrite(file, at: 0, with: [UInt8](repeating: 0x5A, count: 100))
        let error = try #require(throws: RunStoreError.self) { try RunStore(runDirectory: dir) }
        #expect(error == .notARunStore(path: file, reason: "not an SQLite database"))
    }

    @Test func damagedPagesAreReportedNamingTheFile() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let file = try Self.storeWithManyRecords(in: dir)
        let size = try #require(FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        // Keep page 1 (the header and schema), scramble every page after it.
        try Self.overwrite(file, at: 4096, with: (0..<(size - 4096)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        do {
            let store = try RunStore(runDirectory: dir)
            _ = try store.records(stage: nil, kind: nil)
            Issue.record("reading scrambled pages succeeded")
        } catch let error as RunStoreError {
            #expect(error.localizedDescription.contains(file), "\(error.localizedDescription)")
            guard case .corrupt = error else { Issue.record("expected .corrupt, got \(error)"); return }
            #expect(error.localizedDescription.contains("restore it from a backup"))
        }
    }

    /// A closed store (its WAL checkpointed into the file) spanning many pages.
    static func storeWithManyRecords(in dir: String) throws -> String {
        let store = try RunStore(runDirectory: dir)
        let records = (0..<200).map { RunStoreFixtures.conversation("k\($0)", assistant: String(repeating: "answer \($0) ", count: 30)) }
        try store.commit(stage: "label", unit: "u1", records: records, rejections: [])
        return store.path
    }

    static func overwrite(_ file: String, at offset: UInt64, with bytes: [UInt8]) throws {
        #expect(!FileManager.default.fileExists(atPath: file + "-wal"), "the store was not closed")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: bytes)
        try handle.close()
    }
}
