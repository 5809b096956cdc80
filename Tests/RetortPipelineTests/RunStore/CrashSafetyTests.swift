// A run killed with SIGKILL inside a commit resumes from its store: every unit marked done is
// there whole, nothing of the unit being written is, and the store takes new commits. The writer
// is a separate process (Tests/RetortStoreTorture) so the kill is a real one; a trigger stalls one
// unit's transaction after its records are inserted, so the kill lands inside it every time.
import Foundation
import GRDB
import RetortKnowledge
@testable import RetortPipeline
import Testing

@Suite struct CrashSafetyTests {
    /// What RetortStoreTorture commits per unit.
    static let recordsPerUnit = 60
    static let rejectionsPerUnit = 1

    static var tortureExecutable: String {
        var directory: String
        if let dir = ProcessInfo.processInfo.environment["RETORT_BUILD_DIR"] {
            directory = dir
        } else {
            #if os(Linux)
            directory = ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ".") as String
            #else
            directory = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundlePath ?? Bundle.main.bundlePath
            #endif
            // The test runner lives in (or is) a .xctest beside the built executables.
            while directory.contains(".xctest") {
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
        return directory + "/RetortStoreTorture"
    }

    /// Starts the torture process on `dir`, committing units first..<first+count.
    static func startTorture(_ dir: String, first: Int, count: Int) throws -> (Process, FileHandle, Pipe) {
        let executable = tortureExecutable
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw MissingTorture(path: executable)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [dir, "\(first)", "\(count)"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out.fileHandleForReading, err)
    }

    struct MissingTorture: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing: run `swift build --build-tests` before `swift test` (make test does)" }
    }

    /// Reads the process's output until it has announced `count` commits (or ended).
    static func waitForCommits(_ count: Int, from output: FileHandle) -> Int {
        var text = ""
        while text.components(separatedBy: "committed ").count - 1 < count {
            let chunk = output.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text.components(separatedBy: "committed ").count - 1
    }

    /// Holds the write lock, or throws SQLITE_BUSY when another process holds it.
    static func writeLockIsHeldElsewhere(_ probe: DatabaseQueue) throws -> Bool {
        do {
            try probe.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
            return false
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return true
        }
    }

    @Test func aRunKilledInsideACommitReopensWithWholeUnitsOnly() throws {
        let dir = RunStoreFixtures.runDirectory("torture")
        defer { RunStoreFixtures.remove(dir) }
        let file = try RunStore(runDirectory: dir).path

        // Unit u12's commit stalls after inserting its records, just before its "done" mark:
        // the kill below lands there, inside the transaction.
        let setup = try DatabaseQueue(path: file)
        try setup.write { db in
            try db.execute(sql: """
                CREATE TRIGGER stall_u12 BEFORE INSERT ON stage_units WHEN NEW.unit = 'u12' BEGIN
                    SELECT count(*) FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 4000000000) SELECT x FROM n);
                END
                """)
        }
        var probeConfiguration = Configuration()
        probeConfiguration.busyMode = .immediateError
        let probe = try DatabaseQueue(path: file, configuration: probeConfiguration)

        let (process, output, errors) = try Self.startTorture(dir, first: 0, count: 1_000)
        let announced = Self.waitForCommits(12, from: output)
        // Held for 100 polls in a row: past the inserts, in the stall (nothing else takes that long).
        var heldFor = 0
        for _ in 0..<30_000 where heldFor < 100 {
            heldFor = try Self.writeLockIsHeldElsewhere(probe) ? heldFor + 1 : 0
            usleep(1000)
        }
        let stalled = heldFor >= 100
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(announced == 12, "the torture process stopped early: \(stderr)")
        #expect(stalled, "the torture process never held the write lock in unit u12")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        try setup.write { try $0.execute(sql: "DROP TRIGGER stall_u12") }

        let store = try RunStore(runDirectory: dir, create: false)
        #expect(try store.integrityProblems() == [])
        #expect(try store.completedUnits(stage: "torture") == Set((0..<12).map { "u\($0)" }))
        let records = try store.records(stage: "torture", kind: nil)
        #expect(records.count == 12 * Self.recordsPerUnit, "nothing of the killed unit u12")
        #expect(Set(records.map { String($0.key.prefix { $0 != "-" }) }) == Set((0..<12).map { "u\($0)" }))
        #expect(try store.rejections(stage: "torture").count == 12 * Self.rejectionsPerUnit)
        #expect(records.first?.distributions != nil)
        let stats = try store.stats()
        #expect(stats.stages.first?.unitsDone == 12)
        #expect(stats.keptRecords == 12 * Self.recordsPerUnit)

        // Resuming where it stopped: a second process redoes u12, commits two more, and exits.
        let (resumed, resumedOutput, resumedErrors) = try Self.startTorture(dir, first: 12, count: 3)
        _ = resumedOutput.readDataToEndOfFile()
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0,
                "\(String(decoding: resumedErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        let finished = try RunStore(runDirectory: dir, create: false)
        #expect(try finished.completedUnits(stage: "torture").count == 15)
        #expect(try finished.records(stage: "torture", kind: nil).count == 15 * Self.recordsPerUnit)
        #expect(try finished.stats().stages.first?.finishedAt != nil, "the resumed run reached the stage's total")
    }
}
