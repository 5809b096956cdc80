// The six strategies against `retort serve` on 127.0.0.1 (the embedded teacher behind the OpenAI
// protocol), then the same recipe through a proxy that injects every kind of fault — 429 with
// Retry-After, 500, 503, a hang past the timeout, truncated and malformed JSON, a dropped
// connection: the faulty run ends with exactly the records of the clean one, none lost or doubled.
import Dispatch
import Foundation
import RetortPipeline
import RetortTestSupport
import Testing

@Suite(.serialized) struct ElicitServeTests {
    /// Runs the (blocking) command on a plain thread, so the proxy's tasks keep the cooperative pool.
    static func elicit(_ arguments: [String]) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try RetortCommand.run(arguments) })
            }
        }
    }

    static func teacher(_ baseURL: String) -> String {
        "teacher: {backend: openai, base_url: \"\(baseURL)/v1\", model: smollm2-135m-instruct, concurrency: 1, timeout_seconds: 20, max_attempts: 8}"
    }

    @Test func sixStrategiesAgainstServeSurviveInjectedFaults() async throws {
        let server = try ServeTestServer()
        defer { server.stop() }

        let (recipe, clean) = try ElicitFixture.write(ElicitFixture.sixStrategies(teacher: Self.teacher(server.baseURL), featureTokenizer: true))
        let first = try await Self.elicit(["elicit", recipe, "--run-dir", clean, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let store = try RunStore(runDirectory: clean, create: false)
        try ElicitCommandTests.checkEveryStage(store, teacher: "openai:smollm2-135m-instruct@\(server.baseURL)/v1")
        let features = try store.records(stage: "features", kind: nil)
        #expect(features.allSatisfy { $0.distributions?.topK == 4 }, "top-k log-probabilities from the API teacher become sparse distributions")
        let expected = try ElicitFixture.contents(of: clean)

        // The same recipe through the faulty proxy. The cache key names the endpoint, so this run
        // asks everything again: every call meets the proxy.
        let proxy = try await FaultInjectingProxy.start(upstream: server.baseURL, plan: .script([
            .rateLimited(retryAfter: "1"), .pass, .serverError, .unavailable, .truncatedBody, .pass, .malformedBody,
            .closeConnection, .hang,
        ]), maxHang: 25)
        let faultyText = ElicitFixture.sixStrategies(teacher: Self.teacher(proxy.baseURL), featureTokenizer: true)
        let (faultyRecipe, faulty) = try ElicitFixture.write(faultyText)
        let second = try await Self.elicit(["elicit", faultyRecipe, "--run-dir", faulty, "--quiet"])
        await proxy.stop()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(proxy.faults.filter { $0 != .pass }.count == 7, "every scripted fault was injected: \(proxy.faults)")
        let got = try ElicitFixture.contents(of: faulty)
        // Provenance names the teacher (its endpoint differs); compare everything else.
        func normalized(_ map: [String: String]) -> [String: String] {
            map.mapValues { $0.replacingOccurrences(of: "127.0.0.1:\(proxy.port)", with: "ENDPOINT")
                .replacingOccurrences(of: server.baseURL.replacingOccurrences(of: "http://", with: ""), with: "ENDPOINT") }
        }
        #expect(normalized(got.records) == normalized(expected.records))
        #expect(normalized(got.rejections) == normalized(expected.rejections))
        let calls = try RunStore(runDirectory: faulty, create: false).stats().teacherCalls
        #expect(calls == (try store.stats().teacherCalls), "each call is stored once")
    }
}
