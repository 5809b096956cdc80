// The run store as a KnowledgeSink: units commit whole, keys are written once, records come back
// as committed and in commit order, stage progress is kept, and bad input is refused before any
// write.
import Foundation
import GRDB
import RetortJSON
import RetortKnowledge
@testable import RetortPipeline
import Testing

@Suite struct KnowledgeSinkTests {
    @Test func aCommittedUnitComesBackWhole() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        let records = [
            RunStoreFixtures.conversation("label/u1/0", distributions: RunStoreFixtures.distributions(positions: 5, topK: 3)),
            RunStoreFixtures.conversation("label/u1/1", system: "You are terse.", distributions: nil),
        ]
        let rejections = [RunStoreFixtures.rejection("label/u1/2")]
        try store.commit(stage: "label", unit: "u1", records: records, rejections: rejections)

        #expect(try store.records(stage: "label", kind: nil) == records)
        #expect(try store.rejections(stage: "label") == rejections)
        #expect(try store.completedUnits(stage: "label") == ["u1"])
        #expect(try store.completedUnits(stage: "expand") == [])
    }

    @Test func recordsComeBackInCommitOrderAcrossUnitsAndReopening() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        do {
            let store = try RunStore(runDirectory: dir)
            // Keys sort the other way round from commit order.
            try store.commit(stage: "label", unit: "u2", records: [RunStoreFixtures.conversation("z")], rejections: [])
            try store.commit(stage: "label", unit: "u1", records: [RunStoreFixtures.conversation("m"), RunStoreFixtures.conversation("a")], rejections: [])
        }
        let reopened = try RunStore(runDirectory: dir, create: false)
        #expect(try reopened.records(stage: nil, kind: nil).map(\.key) == ["z", "m", "a"])
        #expect(try reopened.completedUnits(stage: "label") == ["u1", "u2"])
    }

    @Test func anExistingKeyIsLeftAsItWas() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.commit(stage: "label", unit: "u1", records: [RunStoreFixtures.conversation("k", assistant: "first")],
                         rejections: [RunStoreFixtures.rejection("r", reason: "first")])
        try store.commit(stage: "label", unit: "u2", records: [RunStoreFixtures.conversation("k", assistant: "second")],
                         rejections: [RunStoreFixtures.rejection("r", reason: "second")])
        // Committing a done unit again (a resumed run) changes nothing either.
        try store.commit(stage: "label", unit: "u1", records: [RunStoreFixtures.conversation("k", assistant: "third")], rejections: [])

        let kept = try store.records(stage: "label", kind: nil)
        #expect(kept.count == 1)
        #expect(kept.first?.payload["messages"]?.arrayValue?.last?["content"] == "first")
        #expect(try store.rejections(stage: nil).map(\.reason) == ["first"])
        #expect(try store.completedUnits(stage: "label") == ["u1", "u2"])
        #expect(try store.stats().stages.first?.unitsDone == 2)
    }

    @Test func recordsFilterByStageAndKind() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.commit(stage: "label", unit: "u1", records: [RunStoreFixtures.conversation("c1")], rejections: [])
        try store.commit(stage: "expand", unit: "u1", records: [RunStoreFixtures.instruction("i1")], rejections: [])
        try store.commit(stage: "feedback", unit: "u1", records: [RunStoreFixtures.preference("p1"), RunStoreFixtures.conversation("c2", stage: "feedback")],
                         rejections: [])
        #expect(try store.records(stage: nil, kind: .conversation).map(\.key) == ["c1", "c2"])
        #expect(try store.records(stage: "feedback", kind: nil).map(\.key) == ["p1", "c2"])
        #expect(try store.records(stage: "feedback", kind: .preference).map(\.key) == ["p1"])
        #expect(try store.records(stage: "label", kind: .rating).isEmpty)
        #expect(try store.records(stage: "nope", kind: nil).isEmpty)
        #expect(try store.stageNames() == ["label", "expand", "feedback"])
    }

    @Test func aStageFinishesWhenItsLastUnitIsCommittedAndReopensWhenItGrows() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.setStageTotal(stage: "label", units: 2)
        try store.commit(stage: "label", unit: "u1", records: [], rejections: [])
        var stage = try #require(try store.stats().stages.first)
        #expect(stage.unitsDone == 1 && stage.unitsTotal == 2 && stage.finishedAt == nil)

        try store.commit(stage: "label", unit: "u2", records: [], rejections: [])
        stage = try #require(try store.stats().stages.first)
        #expect(stage.unitsDone == 2 && stage.finishedAt != nil)

        try store.setStageTotal(stage: "label", units: 3)
        stage = try #require(try store.stats().stages.first)
        #expect(stage.unitsTotal == 3 && stage.finishedAt == nil)

        #expect(throws: RunStoreError.invalidInput("stage label cannot have -1 units")) {
            try store.setStageTotal(stage: "label", units: -1)
        }
    }

    @Test func inconsistentInputIsRefusedBeforeAnythingIsWritten() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        let good = RunStoreFixtures.conversation("good")
        var badShape = RunStoreFixtures.conversation("bad-shape", distributions: RunStoreFixtures.distributions(positions: 3, topK: 2))
        badShape.distributions?.ids.removeLast()
        var nanLogprob = RunStoreFixtures.conversation("nan", distributions: RunStoreFixtures.distributions(positions: 2, topK: 2))
        nanLogprob.distributions?.logprobs[3] = .nan
        let cases: [(records: [KnowledgeRecord], rejections: [RejectedRecord], unit: String, message: String)] = [
            ([good, RunStoreFixtures.conversation("elsewhere", stage: "expand")], [], "u1", "record elsewhere says stage expand but is committed in stage label"),
            ([good, RunStoreFixtures.conversation("")], [], "u1", "a record of unit u1 in stage label has an empty key"),
            ([good, badShape], [], "u1", "the distributions of record bad-shape are inconsistent: 3 positions × top-2 needs 6 ids"),
            ([good, nanLogprob], [], "u1", "the distributions of record nan are inconsistent: log-probability 3 is nan"),
            ([good], [RunStoreFixtures.rejection("x", stage: "expand")], "u1", "rejection x says stage expand"),
            ([good], [], "", "needs a unit name"),
        ]
        for (records, rejections, unit, message) in cases {
            let error = try #require(throws: RunStoreError.self) {
                try store.commit(stage: "label", unit: unit, records: records, rejections: rejections)
            }
            #expect(error.localizedDescription.contains(message), "\(error.localizedDescription)")
        }
        #expect(try store.records(stage: nil, kind: nil).isEmpty)
        #expect(try store.completedUnits(stage: "label").isEmpty)
    }

    @Test func aCommitThatFailsInsideItsTransactionLeavesNothingOfTheUnit() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.commit(stage: "label", unit: "before", records: [RunStoreFixtures.conversation("kept")], rejections: [])
        // The writer connection fails the unit mark, the last statement of the transaction, after
        // the records and rejections were inserted.
        try store.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER fail_doomed_unit BEFORE INSERT ON stage_units WHEN NEW.unit = 'doomed'
                BEGIN SELECT RAISE(ABORT, 'simulated I/O failure'); END
                """)
        }
        let error = try #require(throws: RunStoreError.self) {
            try store.commit(stage: "label", unit: "doomed",
                             records: [RunStoreFixtures.conversation("lost-1"), RunStoreFixtures.conversation("lost-2")],
                             rejections: [RunStoreFixtures.rejection("lost-3")])
        }
        #expect(error.localizedDescription.contains(store.path))
        #expect(error.localizedDescription.contains("simulated I/O failure"))
        #expect(try store.records(stage: nil, kind: nil).map(\.key) == ["kept"])
        #expect(try store.rejections(stage: nil).isEmpty)
        #expect(try store.completedUnits(stage: "label") == ["before"])
        #expect(try store.stats().stages.first?.unitsDone == 1)

        // The store stays usable, and the redone unit commits whole.
        try store.pool.writeWithoutTransaction { try $0.execute(sql: "DROP TRIGGER temp.fail_doomed_unit") }
        try store.commit(stage: "label", unit: "doomed", records: [RunStoreFixtures.conversation("lost-1")], rejections: [])
        #expect(try store.records(stage: nil, kind: nil).map(\.key) == ["kept", "lost-1"])
    }

    @Test func manyTasksCommitAndReadAtOnce() async throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        let sink: any KnowledgeSink = store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for unit in 0..<25 {
                        let name = "t\(task)-u\(unit)"
                        try sink.commit(stage: "label", unit: name,
                                        records: [RunStoreFixtures.conversation("\(name)-a"), RunStoreFixtures.conversation("\(name)-b")],
                                        rejections: [RunStoreFixtures.rejection("\(name)-x")])
                        _ = try sink.completedUnits(stage: "label")
                    }
                }
            }
            try await group.waitForAll()
        }
        let records = try store.records(stage: "label", kind: nil)
        #expect(records.count == 400)
        #expect(try store.completedUnits(stage: "label").count == 200)
        // Within each unit, records keep the order they were committed in.
        let positions = Dictionary(uniqueKeysWithValues: records.enumerated().map { ($1.key, $0) })
        for task in 0..<8 {
            for unit in 0..<25 {
                #expect(positions["t\(task)-u\(unit)-a"]! + 1 == positions["t\(task)-u\(unit)-b"]!)
            }
        }
        #expect(try store.stats().stages.first?.unitsDone == 200)
    }

    @Test func aDamagedPayloadIsReportedNamingTheRecord() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.commit(stage: "label", unit: "u1",
                         records: [RunStoreFixtures.conversation("k1", distributions: RunStoreFixtures.distributions(positions: 2, topK: 2))],
                         rejections: [])
        try store.write { try $0.execute(sql: "UPDATE records SET payload = '{\"messages\": [' WHERE key = 'k1'") }
        let payloadError = try #require(throws: RunStoreError.self) { try store.records(stage: nil, kind: nil) }
        #expect(payloadError.localizedDescription.contains("the payload of record k1 is not valid JSON"), "\(payloadError.localizedDescription)")

        try store.write { db in
            try db.execute(sql: "UPDATE records SET payload = '{}', distributions = x'0102' WHERE key = 'k1'")
        }
        let blobError = try #require(throws: RunStoreError.self) { try store.records(stage: nil, kind: nil) }
        #expect(blobError.localizedDescription.contains("the distributions of record k1, at byte 1"), "\(blobError.localizedDescription)")

        try store.write { try $0.execute(sql: "UPDATE records SET distributions = NULL, kind = 'hologram' WHERE key = 'k1'") }
        let kindError = try #require(throws: RunStoreError.self) { try store.records(stage: nil, kind: nil) }
        #expect(kindError.localizedDescription.contains("record k1 has kind 'hologram'"))
    }
}
