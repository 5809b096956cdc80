// The `problems` seed set: arithmetic word problems with known answers, for the self-knowledge
// strategy (the teacher solves, `final-answer` reads its answer, `exact-match` checks it). They are
// generated, not written: ten kinds of problem, four of each, from a fixed-seed generator, so the
// set is the same on every machine and every answer is computed, never typed. Money is counted in
// cents so decimal answers are exact.
import RetortPluginSDK

struct ArithmeticProblem {
    let id: String
    /// Which computation the answer is: "sum", "difference", … (see `ArithmeticProblems.generate`).
    let kind: String
    let instruction: String
    /// The answer as `final-answer` normalizes it: "1250", "13.5".
    let answer: String

    var json: JSONValue {
        ["id": .string(id), "kind": .string(kind), "instruction": .string(instruction), "answer": .string(answer)]
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

    /// A value in `range` (the modulo bias is negligible for ranges this small).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
}

enum ArithmeticProblems {
    static let seed: UInt64 = 20_240_601
    static let perKind = 4
    static let names = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jada", "Kofi", "Lena"]

    static let all: [ArithmeticProblem] = generate()

    static func generate() -> [ArithmeticProblem] {
        var random = SplitMix64(state: seed)
        let makers: [(String, (inout SplitMix64) -> (String, Int))] = [
            ("sum", sum), ("difference", difference), ("product", product), ("quotient", quotient), ("change", change),
            ("rows-minus", rowsMinus), ("average", average), ("unit-price", unitPrice), ("thousands", thousands),
            ("percent-off", percentOff),
        ]
        var problems: [ArithmeticProblem] = []
        for _ in 0..<perKind {
            for (kind, make) in makers {
                let (text, cents) = make(&random)
                let number = String(problems.count + 1)
                let id = "problem-" + String(repeating: "0", count: max(0, 3 - number.count)) + number
                problems.append(ArithmeticProblem(id: id, kind: kind, instruction: text, answer: decimal(cents: cents)))
            }
        }
        return problems
    }

    // Each maker returns the problem text and its answer in hundredths.

    static func sum(_ r: inout SplitMix64) -> (String, Int) {
        let name = r.pick(names), a = r.int(5...60), b = r.int(3...40)
        return ("\(name) has \(a) marbles and finds \(b) more. How many marbles does \(name) have now?", (a + b) * 100)
    }

    static func difference(_ r: inout SplitMix64) -> (String, Int) {
        let a = r.int(20...90), b = r.int(5...(a - 5))
        return ("A baker made \(a) muffins and sold \(b) of them. How many muffins are left?", (a - b) * 100)
    }

    static func product(_ r: inout SplitMix64) -> (String, Int) {
        let a = r.int(6...24), b = r.int(3...12)
        return ("A box holds \(a) pencils. How many pencils are there in \(b) boxes?", a * b * 100)
    }

    static func quotient(_ r: inout SplitMix64) -> (String, Int) {
        let children = r.int(2...9), each = r.int(3...15)
        return ("A teacher shares \(children * each) stickers equally among \(children) children. How many stickers does each child get?",
                each * 100)
    }

    static func change(_ r: inout SplitMix64) -> (String, Int) {
        let name = r.pick(names), count = r.int(2...5), price = r.int(2...9)
        let bill = [20, 50, 100].first { $0 > count * price }!
        return ("\(name) buys \(count) notebooks at \(price) dollars each and pays with a \(bill)-dollar bill. "
                    + "How much change does \(name) get, in dollars?", (bill - count * price) * 100)
    }

    static func rowsMinus(_ r: inout SplitMix64) -> (String, Int) {
        let rows = r.int(3...12), perRow = r.int(4...15), cut = r.int(2...(rows * perRow / 2))
        return ("An orchard has \(rows) rows of \(perRow) trees. Then \(cut) trees are cut down. How many trees are left?",
                (rows * perRow - cut) * 100)
    }

    static func average(_ r: inout SplitMix64) -> (String, Int) {
        let name = r.pick(names), a = r.int(10...40), b = r.int(10...40)
        var c = r.int(10...40)
        while (a + b + c) % 3 != 0 { c += 1 }
        return ("\(name) scored \(a), \(b) and \(c) points in three games. What was the average score per game?",
                (a + b + c) / 3 * 100)
    }

    static func unitPrice(_ r: inout SplitMix64) -> (String, Int) {
        let cents = 25 * r.int(10...26), count = r.int(2...6)
        return ("A sandwich costs \(decimal(cents: cents, keepCents: true)) dollars. How much do \(count) sandwiches cost, in dollars?",
                cents * count)
    }

    static func thousands(_ r: inout SplitMix64) -> (String, Int) {
        let before = 10 * r.int(100...900), arrived = 5 * r.int(20...400)
        return ("A town had \(grouped(before)) people. Then \(grouped(arrived)) more people moved in. "
                    + "How many people live in the town now?", (before + arrived) * 100)
    }

    static func percentOff(_ r: inout SplitMix64) -> (String, Int) {
        let price = 4 * r.int(5...50), percent = r.pick([10, 20, 25, 50])
        return ("A jacket costs \(price) dollars and is on sale for \(percent)% off. What is the sale price, in dollars?",
                price * (100 - percent))
    }

    /// Hundredths as the normalized answer ("13.5", "15"), or as a price ("4.50") with `keepCents`.
    static func decimal(cents: Int, keepCents: Bool = false) -> String {
        let whole = cents / 100, fraction = cents % 100
        if keepCents { return "\(whole)." + (fraction < 10 ? "0" : "") + "\(fraction)" }
        if fraction == 0 { return "\(whole)" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// 12500 → "12,500": the thousands separator the normalization removes.
    static func grouped(_ n: Int) -> String {
        n < 1000 ? "\(n)" : "\(n / 1000)," + String(repeating: "0", count: 3 - String(n % 1000).count) + "\(n % 1000)"
    }
}
