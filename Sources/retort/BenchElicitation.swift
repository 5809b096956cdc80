// `retort bench elicit` and `retort bench dedup`: the two elicitation figures — teacher requests
// per second against a loopback server that answers after a fixed delay (as a fraction of the
// ideal concurrency / delay), and the Self-Instruct novelty filter over 50,000 instructions
// (benchmarks/dedup_peer.py times the original pairwise approach on the same file).
import ArgumentParser
import Foundation
import RetortKnowledge
import RetortPipeline
import RetortTeachers

struct BenchElicit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "elicit",
        abstract: "Teacher client throughput at high concurrency against a loopback server with a fixed answer delay.")

    @Option(help: "Requests in flight.") var concurrency = 64
    @Option(help: "Seconds the server waits before answering.") var delay = 0.2
    @Option(help: "Requests measured.") var requests = 640
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        do {
            let server = try await DelayedTeacherServer.start(delay: delay)
            let result: TeacherThroughputResult
            do {
                result = try await TeacherThroughputBenchmark.run(baseURL: server.baseURL, serverDelay: delay,
                                                                  concurrency: concurrency, requests: requests)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
            if json {
                print(result.json.jsonText)
            } else {
                print("elicitation throughput, \(result.requests) requests at concurrency \(concurrency), server delay \(delay) s")
                print("  completed:      \(String(format: "%.1f", result.requestsPerSecond)) requests/s (\(result.failures) failed)")
                print("  ideal:          \(String(format: "%.1f", result.bound)) requests/s (concurrency / delay)")
                print("  fraction ideal: \(String(format: "%.3f", result.fractionOfBound)) (target ≥ 0.9)")
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}

struct BenchDedup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "The ROUGE-L novelty filter over synthetic instructions; --out writes them for benchmarks/dedup_peer.py.")

    @Option(help: "Instructions filtered.") var count = 50_000
    @Option(help: "Leading instructions also timed alone (what the Python peer runs).") var prefix = 5_000
    @Option(help: "Write the instructions and kept flags as JSONL here.") var out: String?
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        do {
            let result = try NearDuplicateBenchmark.run(count: count, prefixCount: prefix)
            if let out { try NearDuplicateBenchmark.writeJSONL(result, to: URL(fileURLWithPath: out)) }
            if json {
                print(result.summary.jsonText)
            } else {
                print("near-duplicate filtering (ROUGE-L ≥ \(result.threshold)), \(count) synthetic instructions")
                print("  all \(count):   \(String(format: "%.2f", result.seconds)) s, kept \(result.keptCount)")
                print("  first \(result.prefixCount): \(String(format: "%.3f", result.prefixSeconds)) s, kept \(result.prefixKeptCount)")
                if out == nil { print("  (pass --out FILE and run benchmarks/dedup_peer.py FILE for the pairwise peer)") }
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
