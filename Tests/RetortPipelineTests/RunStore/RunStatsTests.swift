// `data stats` numbers: counted from what was committed, in the JSON scripts read and the text
// people read.
import Foundation
import RetortJSON
@testable import RetortPipeline
import RetortTeachers
import Testing

@Suite struct RunStatsTests {
    /// Two stages, three kinds of records, three checks, two teachers, two cache hits.
    static func populatedStore(in dir: String) throws -> RunStore {
        let store = try RunStore(runDirectory: dir)
        try store.setStageTotal(stage: "label", units: 2)
        try store.commit(stage: "label", unit: "u1",
                         records: [RunStoreFixtures.conversation("c1"), RunStoreFixtures.conversation("c2")],
                         rejections: [RunStoreFixtures.rejection("x1", check: "dedup.exact", reason: "same as c1"),
                                      RunStoreFixtures.rejection("x2", check: "parser", reason: "no answer found")])
        try store.commit(stage: "label", unit: "u2",
                         records: [RunStoreFixtures.conversation("c3")],
                         rejections: [RunStoreFixtures.rejection("x3", check: "parser", reason: "no answer found"),
                                      RunStoreFixtures.rejection("x4", check: "dedup.near", reason: "ROUGE-L 0.83 ≥ 0.70 with c3"),
                                      RunStoreFixtures.rejection("x5", check: "parser", reason: "unterminated JSON")])
        try store.setStageTotal(stage: "feedback", units: 4)
        try store.commit(stage: "feedback", unit: "u1",
                         records: [RunStoreFixtures.preference("p1"), RunStoreFixtures.conversation("c4", stage: "feedback")],
                         rejections: [])
        let api = TeacherIdentity(backend: "openai", model: "gpt-x", endpoint: "http://127.0.0.1:9/v1")
        try store.store(RunStoreFixtures.call("t1", response: RunStoreFixtures.response(promptTokens: 100, completionTokens: 20), cost: 0, latency: 0.5))
        try store.store(RunStoreFixtures.call("t2", identity: api, response: RunStoreFixtures.response(promptTokens: 50, completionTokens: 10), cost: 0.75, latency: 1))
        try store.store(RunStoreFixtures.call("t3", identity: api, response: RunStoreFixtures.response(promptTokens: 30, completionTokens: 5), cost: 0.25, latency: 2))
        _ = try store.cachedResponse(key: "t2")
        _ = try store.cachedResponse(key: "t3")
        _ = try store.cachedResponse(key: "never-stored")
        return store
    }

    @Test func countsComeFromWhatWasCommitted() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let stats = try Self.populatedStore(in: dir).stats(topReasons: 2)

        #expect(stats.stages.map(\.name) == ["label", "feedback"], "stages in the order they started")
        #expect(stats.stages.map(\.unitsDone) == [2, 1])
        #expect(stats.stages.map(\.unitsTotal) == [2, 4])
        #expect(stats.stages.map { $0.finishedAt != nil } == [true, false])

        #expect(stats.records == [
            .init(stage: "label", kind: "conversation", count: 3),
            .init(stage: "feedback", kind: "conversation", count: 1),
            .init(stage: "feedback", kind: "preference", count: 1),
        ])
        #expect(stats.keptRecords == 5)

        #expect(stats.rejectionsByCheck == [.init(check: "parser", count: 3), .init(check: "dedup.exact", count: 1), .init(check: "dedup.near", count: 1)])
        #expect(stats.rejectedRecords == 5)
        #expect(stats.duplicates == 2)
        #expect(stats.topReasons == [.init(check: "parser", reason: "no answer found", count: 2),
                                     .init(check: "dedup.exact", reason: "same as c1", count: 1)])

        #expect(stats.teachers.map(\.teacher) == ["openai:gpt-x@http://127.0.0.1:9/v1", "local:smollm2"])
        #expect(stats.teacherCalls == 3)
        #expect(stats.promptTokens == 180)
        #expect(stats.completionTokens == 35)
        #expect(stats.cost == 1.0)
        #expect(stats.teachers.first?.latency == 3)
        #expect(stats.cacheHits == 2)
    }

    @Test func anEmptyRunHasZeroEverywhere() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let stats = try RunStore(runDirectory: dir).stats()
        #expect(stats.stages.isEmpty && stats.records.isEmpty && stats.teachers.isEmpty)
        #expect(stats.keptRecords == 0 && stats.rejectedRecords == 0 && stats.cacheHits == 0 && stats.cost == 0)
        #expect(stats.text.contains("No stage has started."))
        #expect(stats.json["records"]?["total"] == 0)
    }

    @Test func jsonHasTheFieldsScriptsRead() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let json = try Self.populatedStore(in: dir).stats().json
        // Through text and back, as a script reads it.
        let parsed = try JSONValue(parsing: json.jsonText)
        #expect(parsed["run"] == .string(dir))
        #expect(parsed["stages"]?.arrayValue?.first?["units_done"] == 2)
        #expect(parsed["stages"]?.arrayValue?.last?["finished_at"] == .null)
        #expect(parsed["stages"]?.arrayValue?.first?["finished_at"]?.stringValue?.hasSuffix("Z") == true)
        #expect(parsed["records"]?["total"] == 5)
        #expect(parsed["records"]?["by_stage_and_kind"]?.arrayValue?.count == 3)
        #expect(parsed["rejections"]?["duplicates"] == 2)
        #expect(parsed["rejections"]?["by_check"]?.arrayValue?.first == ["check": "parser", "count": 3])
        #expect(parsed["rejections"]?["top_reasons"]?.arrayValue?.first?["reason"] == "no answer found")
        #expect(parsed["teacher"]?["calls"] == 3)
        #expect(parsed["teacher"]?["cache_hits"] == 2)
        #expect(parsed["teacher"]?["prompt_tokens"] == 180)
        #expect(parsed["teacher"]?["completion_tokens"] == 35)
        #expect(parsed["teacher"]?["cost"] == 1)
    }

    @Test func textReportsEachSection() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let text = try Self.populatedStore(in: dir).stats().text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "Run \(dir)")
        #expect(lines.contains { $0.hasPrefix("label ") && $0.contains("2/2") && $0.contains("finished") })
        #expect(lines.contains { $0.hasPrefix("feedback ") && $0.contains("1/4") && $0.contains("started") })
        #expect(lines.contains("Kept records: 5"))
        #expect(lines.contains("Rejected: 5 (duplicates: 2)"))
        #expect(lines.contains { $0.hasPrefix("2 ") && $0.contains("parser") && $0.hasSuffix("no answer found") })
        #expect(lines.contains("Teacher: 3 calls, 2 answered from the cache; 180 prompt + 35 completion tokens; cost 1.0000"))
        #expect(lines.contains { $0.hasPrefix("openai:gpt-x@http://127.0.0.1:9/v1") && $0.contains("1.0000") })
    }

    @Test func longReasonsStayOnOneLine() {
        #expect(RunStats.oneLine("a\nb") == "a b")
        #expect(RunStats.oneLine(String(repeating: "x", count: 300)).count == 100)
    }
}
