// The thirteen kinds of problem the generator draws. Each takes its numbers from the generator,
// computes the answer in hundredths with integer arithmetic, and writes the problem, the worked
// steps and a program of thought from the same numbers. Numbers are chosen so that every answer
// is exact (divisions come out even, prices are whole cents).

enum WordProblemKinds {
    static let names = ["Maya", "Omar", "Priya", "Tom", "Aiko", "Luis", "Zoe", "Kwame", "Nina", "Sven", "Leila", "Ravi"]
    static let items: [(plural: String, singular: String)] = [
        ("notebooks", "notebook"), ("pens", "pen"), ("apples", "apple"), ("tickets", "ticket"), ("candles", "candle"),
        ("mugs", "mug"), ("stamps", "stamp"), ("plants", "plant"),
    ]

    static func shoppingTotal(_ r: inout SplitMix64) -> Drafted {
        let name = r.pick(names)
        var first = r.pick(items), second = r.pick(items)
        while second.plural == first.plural { second = r.pick(items) }
        if first.plural > second.plural { swap(&first, &second) }
        let a = r.int(2...6), b = r.int(2...5)
        let p = 25 * r.int(4...24), q = 25 * r.int(2...12)  // prices in cents, multiples of a quarter
        let total = a * p + b * q
        return Drafted(
            text: "\(name) buys \(a) \(first.plural) at \(WordProblems.money(p)) dollars each and \(b) \(second.plural) at "
                + "\(WordProblems.money(q)) dollars each. How much does \(name) spend in total, in dollars?",
            hundredths: total,
            steps: ["The \(first.plural) cost \(a) × \(WordProblems.money(p)) = \(WordProblems.money(a * p)) dollars.",
                    "The \(second.plural) cost \(b) × \(WordProblems.money(q)) = \(WordProblems.money(b * q)) dollars.",
                    "Together: \(WordProblems.money(a * p)) + \(WordProblems.money(b * q)) = \(WordProblems.money(total)) dollars."],
            program: ["\(first.plural) = \(a) * \(WordProblems.money(p))", "\(second.plural) = \(b) * \(WordProblems.money(q))",
                      "answer = \(first.plural) + \(second.plural)"])
    }

    static func twoLegDistance(_ r: inout SplitMix64) -> Drafted {
        let v1 = 5 * r.int(10...24), t1 = r.int(2...5), v2 = 5 * r.int(8...20), t2 = r.int(1...4)
        let total = v1 * t1 + v2 * t2
        return Drafted(
            text: "A train travels at \(v1) km per hour for \(t1) hours, then at \(v2) km per hour for \(t2) hours. "
                + "How many kilometers does it travel in total?",
            hundredths: total * 100,
            steps: ["First part: \(v1) × \(t1) = \(v1 * t1) km.", "Second part: \(v2) × \(t2) = \(v2 * t2) km.",
                    "Total: \(v1 * t1) + \(v2 * t2) = \(total) km."],
            program: ["first = \(v1) * \(t1)", "second = \(v2) * \(t2)", "answer = first + second"])
    }

    static func leftover(_ r: inout SplitMix64) -> Drafted {
        let size = r.int(6...12), boxes = r.int(7...15), rest = r.int(1...(size - 1))
        let total = size * boxes + rest
        return Drafted(
            text: "A shop packs \(total) eggs into cartons of \(size). How many eggs are left over after filling as many full cartons as possible?",
            hundredths: rest * 100,
            steps: ["\(total) ÷ \(size) = \(boxes) full cartons, which hold \(boxes) × \(size) = \(boxes * size) eggs.",
                    "Left over: \(total) − \(boxes * size) = \(rest)."],
            program: ["eggs = \(total)", "per_carton = \(size)", "answer = eggs % per_carton"])
    }

    static func boxesNeeded(_ r: inout SplitMix64) -> Drafted {
        let size = r.int(8...24), full = r.int(3...12), rest = r.int(1...(size - 1))
        let total = size * full + rest
        return Drafted(
            text: "\(total) students are going on a trip and each van holds \(size) students. How many vans are needed to take everyone?",
            hundredths: (full + 1) * 100,
            steps: ["\(total) ÷ \(size) = \(full) with \(rest) students left.", "Those \(rest) need one more van: \(full) + 1 = \(full + 1)."],
            program: ["students = \(total)", "per_van = \(size)", "answer = (students + per_van - 1) // per_van"])
    }

    static func ageLater(_ r: inout SplitMix64) -> Drafted {
        let name = r.pick(names), child = r.int(4...12), factor = r.int(3...5), later = r.int(2...10)
        let parent = child * factor
        return Drafted(
            text: "\(name)'s daughter is \(child) years old, and \(name) is \(factor) times as old as she is. How old will \(name) be in \(later) years?",
            hundredths: (parent + later) * 100,
            steps: ["\(name) is \(factor) × \(child) = \(parent) years old now.", "In \(later) years: \(parent) + \(later) = \(parent + later)."],
            program: ["now = \(factor) * \(child)", "answer = now + \(later)"])
    }

    static func percentIncrease(_ r: inout SplitMix64) -> Drafted {
        let price = 20 * r.int(2...20), percent = r.pick([5, 10, 15, 20, 25, 30, 40])
        let raised = price * (100 + percent)  // in hundredths of a dollar
        return Drafted(
            text: "A bicycle costs \(price) dollars. Its price goes up by \(percent)%. What is the new price, in dollars?",
            hundredths: raised,
            steps: ["The increase is \(percent)% of \(price) = \(WordProblems.decimal(hundredths: price * percent)) dollars.",
                    "New price: \(price) + \(WordProblems.decimal(hundredths: price * percent)) = \(WordProblems.decimal(hundredths: raised)) dollars."],
            program: ["price = \(price)", "answer = price * (1 + \(percent) / 100)"])
    }

    static func ratioShare(_ r: inout SplitMix64) -> Drafted {
        let a = r.int(1...5)
        var b = r.int(2...7)
        while b == a { b = r.int(2...7) }
        let unit = r.int(3...15), total = (a + b) * unit
        return Drafted(
            text: "Two friends share \(total) marbles in the ratio \(a):\(b). How many marbles does the friend with the larger share get?",
            hundredths: max(a, b) * unit * 100,
            steps: ["There are \(a) + \(b) = \(a + b) parts, so one part is \(total) ÷ \(a + b) = \(unit).",
                    "The larger share is \(max(a, b)) × \(unit) = \(max(a, b) * unit)."],
            program: ["part = \(total) // (\(a) + \(b))", "answer = max(\(a), \(b)) * part"])
    }

    static func elapsedMinutes(_ r: inout SplitMix64) -> Drafted {
        let startHour = r.int(1...6), startMinute = 5 * r.int(0...11), duration = 5 * r.int(14...50)
        let end = startHour * 60 + startMinute + duration
        func clock(_ minutes: Int) -> String {
            let m = minutes % 60
            return "\(minutes / 60):\(m < 10 ? "0" : "")\(m)"
        }
        return Drafted(
            text: "A film starts at \(clock(startHour * 60 + startMinute)) pm and ends at \(clock(end)) pm on the same evening. "
                + "How many minutes long is the film?",
            hundredths: duration * 100,
            steps: ["\(clock(startHour * 60 + startMinute)) is \(startHour * 60 + startMinute) minutes after 12:00 and "
                        + "\(clock(end)) is \(end) minutes after 12:00.",
                    "The film lasts \(end) − \(startHour * 60 + startMinute) = \(duration) minutes."],
            program: ["start = \(startHour) * 60 + \(startMinute)", "end = \(end / 60) * 60 + \(end % 60)", "answer = end - start"])
    }

    static func orderOfOperations(_ r: inout SplitMix64) -> Drafted {
        let c = r.int(2...6), d = r.int(2...9)
        let e = d + r.int(1...8)
        let b = c * r.int(1...5)  // b × (e − d) is a multiple of c
        let a = r.int(3...30)
        let value = a + b * (e - d) / c
        return Drafted(
            text: "Compute \(a) + \(b) × (\(e) − \(d)) ÷ \(c).",
            hundredths: value * 100,
            steps: ["Brackets first: \(e) − \(d) = \(e - d).", "Then multiply and divide from left to right: \(b) × \(e - d) = \(b * (e - d)), "
                        + "and \(b * (e - d)) ÷ \(c) = \(b * (e - d) / c).", "Finally add: \(a) + \(b * (e - d) / c) = \(value)."],
            program: ["answer = \(a) + \(b) * (\(e) - \(d)) / \(c)"])
    }

    static func metricConversion(_ r: inout SplitMix64) -> Drafted {
        let pieces = r.int(2...4)
        let centimeters = pieces * 5 * r.int(9...60)  // divides evenly into the pieces
        let meters = WordProblems.decimal(hundredths: centimeters)
        return Drafted(
            text: "A ribbon is \(meters) meters long. It is cut into \(pieces) equal pieces. How long is each piece, in centimeters?",
            hundredths: centimeters * 100 / pieces,
            steps: ["\(meters) meters is \(meters) × 100 = \(centimeters) centimeters.",
                    "Each piece: \(centimeters) ÷ \(pieces) = \(WordProblems.decimal(hundredths: centimeters * 100 / pieces)) centimeters."],
            program: ["centimeters = \(meters) * 100", "answer = centimeters / \(pieces)"])
    }

    static func fractionThenAdd(_ r: inout SplitMix64) -> Drafted {
        let name = r.pick(names)
        let (word, denominator) = r.pick([("a quarter", 4), ("a third", 3), ("half", 2), ("a fifth", 5)])
        let start = denominator * r.int(6...20), added = r.int(3...25)
        let given = start / denominator
        return Drafted(
            text: "\(name) had \(start) stickers, gave away \(word) of them to a friend, and then bought \(added) more. "
                + "How many stickers does \(name) have now?",
            hundredths: (start - given + added) * 100,
            steps: ["\(word.prefix(1).uppercased() + word.dropFirst()) of \(start) is \(start) ÷ \(denominator) = \(given).",
                    "After giving them away: \(start) − \(given) = \(start - given).",
                    "After buying more: \(start - given) + \(added) = \(start - given + added)."],
            program: ["stickers = \(start)", "stickers -= stickers // \(denominator)", "stickers += \(added)", "answer = stickers"])
    }

    static func missingScore(_ r: inout SplitMix64) -> Drafted {
        let scores = (0..<3).map { _ in r.int(60...98) }
        let fourth = r.int(60...100)
        // Lower the fourth score by the remainder so the average is a whole number.
        let adjusted = fourth - (scores.reduce(0, +) + fourth) % 4
        let total = scores.reduce(0, +) + adjusted
        let average = total / 4
        return Drafted(
            text: "The average of four test scores is \(average). Three of the scores are \(scores[0]), \(scores[1]) and \(scores[2]). "
                + "What is the fourth score?",
            hundredths: adjusted * 100,
            steps: ["The four scores add up to 4 × \(average) = \(total).",
                    "The three known scores add up to \(scores[0]) + \(scores[1]) + \(scores[2]) = \(scores.reduce(0, +)).",
                    "The fourth score is \(total) − \(scores.reduce(0, +)) = \(adjusted)."],
            program: ["total = 4 * \(average)", "known = \(scores[0]) + \(scores[1]) + \(scores[2])", "answer = total - known"])
    }

    static func fenceCost(_ r: inout SplitMix64) -> Drafted {
        let length = r.int(6...30), width = r.int(3...(length - 1)), price = r.int(3...15)
        let perimeter = 2 * (length + width)
        return Drafted(
            text: "A rectangular garden is \(length) meters long and \(width) meters wide. Fencing costs \(price) dollars per meter. "
                + "How much does it cost to fence the whole garden, in dollars?",
            hundredths: perimeter * price * 100,
            steps: ["The perimeter is 2 × (\(length) + \(width)) = \(perimeter) meters.",
                    "The fence costs \(perimeter) × \(price) = \(perimeter * price) dollars."],
            program: ["perimeter = 2 * (\(length) + \(width))", "answer = perimeter * \(price)"])
    }
}
