// The run store as the teacher call cache: a call is stored once under its content hash (computed
// by the caller from the teacher's identity and the request), and every lookup it answers is
// counted in the store, so `data stats` reports hits across restarts.
import Foundation
import GRDB
import RetortJSON
import RetortTeachers

extension RunStore: TeacherCallCache {
    static let cacheHitsCounter = "teacher_cache_hits"

    /// The stored response for `key`, or nil. A hit is counted in the same transaction, and only
    /// when the stored response decodes.
    public func cachedResponse(key: String) throws -> TeacherResponse? {
        try write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT response FROM teacher_calls WHERE key = ?", arguments: [key]) else {
                return nil
            }
            let response = try decodeResponse(text, key: key)
            try db.execute(sql: """
                INSERT INTO counters (name, value) VALUES (?, 1)
                ON CONFLICT (name) DO UPDATE SET value = value + 1
                """, arguments: [Self.cacheHitsCounter])
            return response
        }
    }

    private func decodeResponse(_ text: String, key: String) throws -> TeacherResponse {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw RunStoreError.corrupt(path: path, detail: "the cached response of teacher call \(key) is \(error.message)")
        }
        do {
            return try TeacherResponse(json: json)
        } catch {
            throw RunStoreError.corrupt(path: path, detail: "the cached response of teacher call \(key) does not decode: \(error.localizedDescription)")
        }
    }

    /// Stores a finished call; a call already stored under the same key is kept (two tasks that
    /// raced on one request paid twice, but the cache answers with the first).
    public func store(_ call: TeacherCallRecord) throws {
        guard !call.key.isEmpty else { throw RunStoreError.invalidInput("a teacher call needs its cache key") }
        let request = call.request.canonicalJSON.jsonText
        let response = call.response.json.jsonText
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO teacher_calls
                    (key, backend, model, endpoint, request, response, prompt_tokens, completion_tokens, latency, cost, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    call.key, call.identity.backend, call.identity.model, call.identity.endpoint, request, response,
                    call.response.usage.promptTokens, call.response.usage.completionTokens,
                    call.latency.isFinite ? call.latency : 0, call.cost.isFinite ? call.cost : 0, Date(),
                ])
        }
    }

    /// How many lookups the cache answered, over the whole life of the run.
    public func cacheHits() throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [Self.cacheHitsCounter]) ?? 0
        }
    }
}
