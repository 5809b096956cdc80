// The seeded generator of arithmetic and word problems with known answers: thirteen kinds of
// multi-step problem, drawn from SplitMix64 with a fixed seed, so every machine gets the same sets
// and every answer is computed (in hundredths, so money and decimals are exact), never typed. Each
// problem carries its answer, a worked solution and a program of thought that computes the answer;
// the tests run that program through the plugin's interpreter as an independent check.
import RetortPluginSDK

struct WordProblem {
    let id: String
    let kind: String
    let instruction: String
    /// The answer as `AnswerExtraction.normalize` writes it: "228", "92.5".
    let answer: String
    /// Worked steps ending with "Answer: …".
    let solution: String
    /// A program of thought computing the answer, in the interpreter's Python subset.
    let program: String

    var json: JSONValue {
        ["id": .string(id), "kind": .string(kind), "instruction": .string(instruction), "answer": .string(answer),
         "solution": .string(solution), "program": .string(program)]
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator with a fixed, portable sequence.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
}

/// What one kind's maker returns: the problem text, the answer in hundredths, the worked steps and
/// the program (whose last line sets `answer`).
struct Drafted {
    let text: String
    let hundredths: Int
    let steps: [String]
    let program: [String]
}

enum WordProblems {
    /// Training problems (seed set `problems`) and held-out problems (seed set `eval`): different
    /// seeds, and no eval instruction repeats a training one.
    static let trainingSeed: UInt64 = 20_250_311
    static let evalSeed: UInt64 = 77_031_225
    static let training: [WordProblem] = generate(seed: trainingSeed, perKind: 5, prefix: "reasoning", excluding: [])
    static let eval: [WordProblem] = generate(seed: evalSeed, perKind: 3, prefix: "reasoning-eval",
                                              excluding: Set(training.map(\.instruction)))

    /// Known answers by instruction, for the `known-answer` filter.
    static let answersByInstruction: [String: String] = Dictionary(
        (training + eval).map { ($0.instruction, $0.answer) }, uniquingKeysWith: { first, _ in first })

    static let kinds: [(name: String, make: @Sendable (inout SplitMix64) -> Drafted)] = [
        ("shopping-total", WordProblemKinds.shoppingTotal), ("two-leg-distance", WordProblemKinds.twoLegDistance),
        ("leftover", WordProblemKinds.leftover), ("boxes-needed", WordProblemKinds.boxesNeeded),
        ("age-later", WordProblemKinds.ageLater), ("percent-increase", WordProblemKinds.percentIncrease),
        ("ratio-share", WordProblemKinds.ratioShare), ("elapsed-minutes", WordProblemKinds.elapsedMinutes),
        ("order-of-operations", WordProblemKinds.orderOfOperations), ("metric-conversion", WordProblemKinds.metricConversion),
        ("fraction-then-add", WordProblemKinds.fractionThenAdd), ("missing-score", WordProblemKinds.missingScore),
        ("fence-cost", WordProblemKinds.fenceCost),
    ]

    static func generate(seed: UInt64, perKind: Int, prefix: String, excluding: Set<String>) -> [WordProblem] {
        var random = SplitMix64(state: seed)
        var problems: [WordProblem] = []
        var seen = excluding
        for _ in 0..<perKind {
            for kind in kinds {
                var drafted = kind.make(&random)
                while seen.contains(drafted.text) { drafted = kind.make(&random) }
                seen.insert(drafted.text)
                let answer = decimal(hundredths: drafted.hundredths)
                let number = String(problems.count + 1)
                problems.append(WordProblem(
                    id: "\(prefix)-" + String(repeating: "0", count: max(0, 3 - number.count)) + number, kind: kind.name,
                    instruction: drafted.text, answer: answer,
                    solution: (drafted.steps + ["Answer: \(answer)"]).joined(separator: "\n"),
                    program: drafted.program.joined(separator: "\n")))
            }
        }
        return problems
    }

    /// Hundredths as a normalized answer: 22800 → "228", 9250 → "92.5", 305 → "3.05".
    static func decimal(hundredths: Int) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let value = abs(hundredths)
        let whole = value / 100, fraction = value % 100
        if fraction == 0 { return sign + "\(whole)" }
        if fraction % 10 == 0 { return sign + "\(whole).\(fraction / 10)" }
        return sign + "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Hundredths as a price in a problem's text: 150 → "1.50".
    static func money(_ hundredths: Int) -> String {
        "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
    }
}
