// The benchmark's generated data and its JSONL file, which benchmarks/dedup_peer.py reads.
import Foundation
import RetortJSON
import Testing
@testable import RetortKnowledge

@Suite struct NearDuplicateBenchmarkTests {
    @Test func generatesTheSameInstructionsForTheSameSeed() {
        let first = SyntheticInstructions.generate(count: 300, seed: 4)
        #expect(first == SyntheticInstructions.generate(count: 300, seed: 4))
        #expect(first != SyntheticInstructions.generate(count: 300, seed: 5))
        #expect(Set(first).count > 250, "instructions should be varied")
        #expect(SyntheticInstructions.generate(count: 0).isEmpty)
    }

    @Test func writesAHeaderAndOneLinePerInstructionWithItsDecision() throws {
        let result = try NearDuplicateBenchmark.run(count: 400, prefixCount: 150, seed: 8)
        #expect(result.kept == pairwiseKept(result.instructions, threshold: 0.7))
        #expect(result.keptCount < 400 && result.keptCount > 200)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retort-novelty-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try NearDuplicateBenchmark.writeJSONL(result, to: url)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 401)
        let header = try JSONValue(parsing: lines[0])
        #expect(header["benchmark"] == "novelty")
        #expect(header["count"]?.doubleValue == 400)
        #expect(header["prefix_count"]?.doubleValue == 150)
        #expect(header["kept"]?.doubleValue == Double(result.keptCount))
        #expect(header["prefix_kept"]?.doubleValue == Double(result.kept.prefix(150).count { $0 }))
        #expect(header["threshold"]?.doubleValue == 0.7)
        #expect((header["seconds"]?.doubleValue ?? -1) >= 0)
        for (i, line) in lines.dropFirst().enumerated() {
            let row = try JSONValue(parsing: line)
            #expect(row["instruction"]?.stringValue == result.instructions[i])
            #expect(row["kept"]?.boolValue == result.kept[i])
        }
    }
}
