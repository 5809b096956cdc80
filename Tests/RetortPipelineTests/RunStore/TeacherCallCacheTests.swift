// The run store as the teacher call cache: a stored call answers later lookups with the same
// response, hits are counted across restarts, and the first of two racing calls is kept.
import Foundation
import GRDB
@testable import RetortPipeline
import RetortTeachers
import Testing

@Suite struct TeacherCallCacheTests {
    @Test func aStoredCallAnswersLookupsAndCountsHitsAcrossRestarts() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let response = RunStoreFixtures.response("Paris")
        do {
            let store = try RunStore(runDirectory: dir)
            let cache: any TeacherCallCache = store
            #expect(try cache.cachedResponse(key: "abc") == nil)
            try cache.store(RunStoreFixtures.call("abc", response: response))
            #expect(try cache.cachedResponse(key: "abc") == response)
            #expect(try cache.cachedResponse(key: "abc") == response)
            #expect(try store.cacheHits() == 2, "misses are not hits")
        }
        let reopened = try RunStore(runDirectory: dir, create: false)
        #expect(try reopened.cachedResponse(key: "abc") == response)
        #expect(try reopened.cacheHits() == 3)
        #expect(try reopened.stats().cacheHits == 3)
    }

    @Test func theRowHoldsTheIdentityRequestAndAccounting() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        let identity = TeacherIdentity(backend: "openai", model: "gpt-x", endpoint: "http://127.0.0.1:8080/v1")
        let call = RunStoreFixtures.call("k", identity: identity, response: RunStoreFixtures.response(promptTokens: 40, completionTokens: 9),
                                         cost: 0.25, latency: 2)
        try store.store(call)
        let row = try #require(try store.read { try Row.fetchOne($0, sql: "SELECT * FROM teacher_calls WHERE key = 'k'") })
        #expect(row["backend"] as String == "openai")
        #expect(row["model"] as String == "gpt-x")
        #expect(row["endpoint"] as String? == "http://127.0.0.1:8080/v1")
        #expect(row["request"] as String == call.request.canonicalJSON.jsonText)
        #expect(row["prompt_tokens"] as Int == 40)
        #expect(row["completion_tokens"] as Int == 9)
        #expect(row["cost"] as Double == 0.25)
        #expect(row["latency"] as Double == 2)
        #expect(row["created_at"] as Date? != nil)
    }

    @Test func theFirstOfTwoRacingCallsIsKept() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.store(RunStoreFixtures.call("same", response: RunStoreFixtures.response("first")))
        try store.store(RunStoreFixtures.call("same", response: RunStoreFixtures.response("second")))
        #expect(try store.cachedResponse(key: "same")?.choices.first?.text == "first")
        #expect(try store.stats().teacherCalls == 1)
    }

    @Test func aCallWithoutAKeyIsRefused() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        #expect(throws: RunStoreError.invalidInput("a teacher call needs its cache key")) {
            try store.store(RunStoreFixtures.call(""))
        }
    }

    @Test func aDamagedCachedResponseIsAnErrorNamingTheCall() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        try store.store(RunStoreFixtures.call("k1"))
        try store.store(RunStoreFixtures.call("k2"))
        try store.write { try $0.execute(sql: "UPDATE teacher_calls SET response = '{\"choices\": [' WHERE key = 'k1'") }
        try store.write { try $0.execute(sql: "UPDATE teacher_calls SET response = '{\"choices\": []}' WHERE key = 'k2'") }
        let truncated = try #require(throws: RunStoreError.self) { try store.cachedResponse(key: "k1") }
        #expect(truncated.localizedDescription.contains("the cached response of teacher call k1 is not valid JSON"))
        let incomplete = try #require(throws: RunStoreError.self) { try store.cachedResponse(key: "k2") }
        #expect(incomplete.localizedDescription.contains("teacher call k2 does not decode: teacher response is malformed: a stored response needs choices, model and usage"),
                "\(incomplete.localizedDescription)")
        #expect(try store.cacheHits() == 0, "a response that cannot be used answered nothing")
    }
}
