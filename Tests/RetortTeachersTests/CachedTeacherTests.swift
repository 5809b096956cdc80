// The call cache wrapper: the key's documented form, hits that are never sent again, misses stored
// with latency and cost, failures not stored, and identical concurrent requests sent once.
import Foundation
import RetortTeachers
import RetortTestSupport
import Testing

@Suite struct CachedTeacherTests {
    @Test func keyIsTheSHA256OfTheDocumentedText() {
        let identity = TeacherIdentity(backend: "openai", model: "m", endpoint: "http://h/v1")
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: "hi")])
        #expect(TeacherCallKey.keyText(identity: identity, request: request)
            == #"{"backend":"openai","endpoint":"http://h/v1","model":"m","request":{"max_tokens":256,"messages":[{"content":"hi","role":"user"}],"n":1,"sampling":{"temperature":1,"top_p":1},"stop":[]}}"#)
        // Pinned: a change here orphans every stored call.
        #expect(TeacherCallKey.key(identity: identity, request: request)
            == "b39cb81883dbea450d31823b1b59fb25f85dd4f015e79093c611ce451e22b264")
        #expect(TeacherCallKey.keyText(identity: TeacherIdentity(backend: "local", model: "m"), request: request)
            .hasPrefix(#"{"backend":"local","endpoint":null,"#))
    }

    @Test func keyChangesWithEveryPartOfIdentityAndRequest() {
        let identity = TeacherIdentity(backend: "openai", model: "m", endpoint: "http://h/v1")
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: "hi")])
        var variants = [TeacherCallKey.key(identity: identity, request: request)]
        for other in [TeacherIdentity(backend: "anthropic", model: "m", endpoint: "http://h/v1"),
                      TeacherIdentity(backend: "openai", model: "m2", endpoint: "http://h/v1"),
                      TeacherIdentity(backend: "openai", model: "m", endpoint: "http://h2/v1"),
                      TeacherIdentity(backend: "openai", model: "m", endpoint: nil)] {
            variants.append(TeacherCallKey.key(identity: other, request: request))
        }
        var changed = request
        changed.sampling.seed = 1
        variants.append(TeacherCallKey.key(identity: identity, request: changed))
        changed = request
        changed.topLogprobs = 0
        variants.append(TeacherCallKey.key(identity: identity, request: changed))
        changed = request
        changed.messages[0].parts.append(.imageURL("data:image/png;base64,AA=="))
        variants.append(TeacherCallKey.key(identity: identity, request: changed))
        #expect(Set(variants).count == variants.count)
        #expect(variants.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func repeatedRequestIsAnsweredFromTheCacheAndNotSent() async throws {
        try await withServer(delay: 0.01) { server in
            let cache = InMemoryTeacherCallCache()
            let accounting = TeacherAccounting(pricing: TeacherPricing(inputPerMillion: 1_000_000, outputPerMillion: 2_000_000))
            let inner = try openAITeacher(server.baseURL)
            let teacher = CachedTeacher(wrapping: inner, cache: cache, accounting: accounting)
            let request = userRequest("cache me")
            let first = try await teacher.complete(request)
            let second = try await teacher.complete(request)
            #expect(first == second)
            #expect(server.requestCount == 1)
            let account = accounting.snapshot
            #expect(account.cacheMisses == 1 && account.cacheHits == 1)

            let key = TeacherCallKey.key(identity: inner.identity, request: request)
            let record = try #require(cache.record(key: key))
            #expect(record.identity == inner.identity && record.request == request && record.response == first)
            #expect(record.latency >= 0.01, "the server waited 10 ms before answering")
            #expect(record.cost == 2 * 1 + 3 * 2, "2 prompt tokens at 1 each, 3 completion tokens at 2 each")

            _ = try await teacher.complete(userRequest("something else"))
            #expect(server.requestCount == 2 && cache.count == 2)
        }
    }

    @Test func identicalConcurrentRequestsAreSentOnce() async throws {
        try await withServer(delay: 0.2) { server in
            let accounting = TeacherAccounting()
            let teacher = CachedTeacher(wrapping: try openAITeacher(server.baseURL), cache: InMemoryTeacherCallCache(),
                                        accounting: accounting)
            let responses = try await withThrowingTaskGroup(of: TeacherResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await teacher.complete(userRequest("together")) } }
                return try await group.reduce(into: [TeacherResponse]()) { $0.append($1) }
            }
            #expect(responses.count == 8 && Set(responses).count == 1)
            #expect(server.requestCount == 1)
            let account = accounting.snapshot
            #expect(account.cacheMisses == 1 && account.coalesced + account.cacheHits == 7)
        }
    }

    @Test func failedCallIsNotStoredAndIsTriedAgain() async throws {
        try await withProxy(.script([.status(400)])) { proxy, _ in
            let cache = InMemoryTeacherCallCache()
            let teacher = CachedTeacher(wrapping: try openAITeacher(proxy.baseURL), cache: cache)
            #expect(await teacherError { try await teacher.complete(userRequest("x")) }?.kind == "http")
            #expect(cache.count == 0)
            #expect(try await teacher.complete(userRequest("x")).choices[0].text == "echo: x")
            #expect(proxy.requestCount == 2 && cache.count == 1)
        }
    }

    @Test func cacheOutsideThePolicyStoresRetriedCallsOnce() async throws {
        try await withProxy(.script([.unavailable, .malformedBody])) { proxy, server in
            let accounting = TeacherAccounting()
            let policy = try RequestPolicy(wrapping: try openAITeacher(proxy.baseURL), accounting: accounting,
                                           clock: VirtualClock())
            let cache = InMemoryTeacherCallCache()
            let teacher = CachedTeacher(wrapping: policy, cache: cache, accounting: accounting)
            #expect(teacher.identity == policy.identity)
            for _ in 0..<3 { _ = try await teacher.complete(userRequest("retried")) }
            #expect(proxy.requestCount == 3 && server.requestCount == 1 && cache.count == 1)
            let account = accounting.snapshot
            #expect(account.attempts == 3 && account.retries == 2 && account.calls == 1)
            #expect(account.cacheMisses == 1 && account.cacheHits == 2)
        }
    }
}
