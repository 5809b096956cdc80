// The novelty benchmark: SyntheticInstructions through NoveltyFilter, timed. Its JSONL file is
// what benchmarks/dedup_peer.py reads to run the original Self-Instruct loop (rouge_score against
// every kept instruction, in a multiprocessing Pool) on a prefix and compare kept sets and times.
//
// File format (UTF-8, one JSON object per line):
//   line 1: {"benchmark": "novelty", "count", "threshold", "seed", "seconds", "kept",
//            "prefix_count", "prefix_seconds", "prefix_kept", "pairs", "proposed", "lcs_computed"}
//   then one line per instruction, in order: {"instruction": String, "kept": Bool}
import Foundation
import RetortJSON

public enum NearDuplicateBenchmark {
    public struct Result: Sendable {
        public var instructions: [String]
        public var kept: [Bool]
        public var threshold: Double
        public var seed: UInt64
        /// Seconds for the novelty filter over all instructions (generation not included).
        public var seconds: Double
        /// Seconds for a separate run over the first `prefixCount` instructions only.
        public var prefixCount: Int
        public var prefixSeconds: Double
        public var statistics: NoveltyStatistics

        public var keptCount: Int { kept.count { $0 } }
        public var prefixKeptCount: Int { kept.prefix(prefixCount).count { $0 } }

        /// The header line of the JSONL file, also what `--json` prints.
        public var summary: JSONValue {
            [
                "benchmark": "novelty", "count": .number(Double(instructions.count)), "threshold": .number(threshold),
                "seed": .number(Double(seed)), "seconds": .number(seconds), "kept": .number(Double(keptCount)),
                "prefix_count": .number(Double(prefixCount)), "prefix_seconds": .number(prefixSeconds),
                "prefix_kept": .number(Double(prefixKeptCount)), "pairs": .number(Double(statistics.pairs)),
                "proposed": .number(Double(statistics.proposed)),
                "lcs_computed": .number(Double(statistics.lcsComputed)),
            ]
        }
    }

    /// Generates `count` instructions and filters them, timing the full run and, separately, the
    /// first `prefixCount` (what the Python peer can afford).
    public static func run(
        count: Int = 50_000, prefixCount: Int = 5_000, threshold: Double = NoveltyFilter.selfInstructThreshold,
        seed: UInt64 = 2023
    ) throws(QualityConfigurationError) -> Result {
        let instructions = SyntheticInstructions.generate(count: count, seed: seed)
        let prefix = min(max(0, prefixCount), instructions.count)
        let clock = ContinuousClock()

        var prefixFilter = try NoveltyFilter(threshold: threshold)
        let prefixStart = clock.now
        for (i, text) in instructions.prefix(prefix).enumerated() { _ = prefixFilter.admit(text, label: "i-\(i)") }
        let prefixSeconds = seconds(clock.now - prefixStart)

        var filter = try NoveltyFilter(threshold: threshold)
        var kept: [Bool] = []
        kept.reserveCapacity(instructions.count)
        let start = clock.now
        for (i, text) in instructions.enumerated() { kept.append(filter.admit(text, label: "i-\(i)").isKept) }
        let total = seconds(clock.now - start)

        return Result(
            instructions: instructions, kept: kept, threshold: threshold, seed: seed, seconds: total,
            prefixCount: prefix, prefixSeconds: prefixSeconds, statistics: filter.statistics)
    }

    /// Writes the result as JSONL (format above), replacing `url`.
    public static func writeJSONL(_ result: Result, to url: URL) throws {
        var text = result.summary.jsonText + "\n"
        for (instruction, kept) in zip(result.instructions, result.kept) {
            text += JSONValue.object(["instruction": .string(instruction), "kept": .bool(kept)]).jsonText + "\n"
        }
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
