// The throughput benchmark runs end to end against a delayed loopback server (its figure is for
// `make bench`; here only that every request completes and the bound is computed right).
import RetortTeachers
import RetortTestSupport
import Testing

@Suite struct ThroughputBenchmarkTests {
    @Test func everyBenchmarkRequestCompletes() async throws {
        try await withServer(delay: 0.02) { server in
            let result = try await TeacherThroughputBenchmark.run(baseURL: server.openAIBaseURL, serverDelay: 0.02,
                                                                  concurrency: 4, requests: 16)
            #expect(result.failures == 0 && result.requests == 16)
            #expect(server.requestCount == 16 + 4, "sixteen timed requests after a warm-up round of four")
            #expect(result.bound == 200)
            #expect(result.requestsPerSecond > 0 && result.fractionOfBound == result.requestsPerSecond / 200)
        }
    }
}
