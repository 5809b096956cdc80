// The instruct plugin's seeds: enough tasks, topics and problems, each with its fields and a
// unique id; every seed task passes the plugin's own quality filter; and every problem's answer is
// recomputed here from the numbers in its text, so exact-match evaluation can trust it.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginSeedTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    func strings(_ item: JSONValue, _ keys: [String]) throws -> [String] {
        try keys.map { key in try #require(item[key]?.stringValue, "\(item.jsonText) has no string \"\(key)\"") }
    }

    @Test func tasksCoverEveryKindWithUniqueIdsAndReferenceAnswers() throws {
        let tasks = try plugin.seedItems("tasks")
        #expect(tasks.count >= 110)
        var ids = Set<String>(), categories = Set<String>()
        for task in tasks {
            let fields = try strings(task, ["id", "category", "instruction", "input", "output"])
            #expect(fields[0].wholeMatch(of: /task-\d{3}/) != nil, "id \(fields[0])")
            #expect(ids.insert(fields[0]).inserted, "duplicate id \(fields[0])")
            categories.insert(fields[1])
            #expect(!fields[2].trimmingCharacters(in: .whitespaces).isEmpty, "\(fields[0]) has an empty instruction")
            #expect(!fields[4].isEmpty, "\(fields[0]) has no reference output")
            #expect(fields[2].count + fields[3].count + fields[4].count < 400, "\(fields[0]) is too long for a 135M teacher")
        }
        #expect(categories == ["open-qa", "brainstorming", "classification", "rewriting", "summarization", "extraction", "math",
                               "coding", "advice", "creative-writing", "comparison", "explanation"])
        for category in categories {
            #expect(tasks.filter { $0["category"]?.stringValue == category }.count >= 5, "\(category)")
        }
    }

    @Test func everySeedTaskPassesTheQualityFilter() throws {
        for task in try plugin.seedItems("tasks") {
            let verdict = try plugin.filter("instruction-quality", record: task)
            #expect(verdict.keep, "\(task["id"]?.stringValue ?? "?"): \(verdict.reason ?? "")")
        }
    }

    @Test func topicsAreLeavesWithKeyPoints() throws {
        let topics = try plugin.seedItems("topics")
        #expect(topics.count >= 20)
        var ids = Set<String>()
        for topic in topics {
            let fields = try strings(topic, ["id", "topic", "knowledge", "branch"])
            #expect(ids.insert(fields[0]).inserted, "duplicate id \(fields[0])")
            #expect(fields[0].wholeMatch(of: /[a-z]+\/[a-z-]+/) != nil, "id \(fields[0]) is not branch/leaf")
            #expect(!fields[1].isEmpty && fields[2].split(separator: " ").count >= 10, "\(fields[0])")
        }
        #expect(Set(topics.compactMap { $0["branch"]?.stringValue }).count >= 5)
    }

    /// The numbers of a problem in reading order: "1,250" is 1250, "4.50" is 4.5, "20%" is 20.
    static func numbers(in text: String) -> [Double] {
        text.matches(of: /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/).compactMap {
            Double($0.output.replacingOccurrences(of: ",", with: ""))
        }
    }

    /// Each kind's computation, written from the problem statements, independent of the generator.
    static let recompute: [String: @Sendable ([Double]) -> Double?] = [
        "sum": { $0.count == 2 ? $0[0] + $0[1] : nil },
        "difference": { $0.count == 2 ? $0[0] - $0[1] : nil },
        "product": { $0.count == 2 ? $0[0] * $0[1] : nil },
        "quotient": { $0.count == 2 ? $0[0] / $0[1] : nil },
        "change": { $0.count == 3 ? $0[2] - $0[0] * $0[1] : nil },
        "rows-minus": { $0.count == 3 ? $0[0] * $0[1] - $0[2] : nil },
        "average": { $0.count == 3 ? ($0[0] + $0[1] + $0[2]) / 3 : nil },
        "unit-price": { $0.count == 2 ? $0[0] * $0[1] : nil },
        "thousands": { $0.count == 2 ? $0[0] + $0[1] : nil },
        "percent-off": { $0.count == 2 ? $0[0] * (100 - $0[1]) / 100 : nil },
    ]

    @Test func problemAnswersAreRecomputedFromTheirText() throws {
        let problems = try plugin.seedItems("problems")
        #expect(problems.count >= 30)
        var ids = Set<String>(), kinds = Set<String>()
        for problem in problems {
            let fields = try strings(problem, ["id", "kind", "instruction", "answer"])
            let (id, kind, instruction, answer) = (fields[0], fields[1], fields[2], fields[3])
            #expect(ids.insert(id).inserted, "duplicate id \(id)")
            kinds.insert(kind)
            let compute = try #require(Self.recompute[kind], "unknown kind \(kind)")
            let expected = try #require(compute(Self.numbers(in: instruction)), "\(id): unexpected numbers in \(instruction)")
            let given = try #require(Double(answer), "\(id): answer \(answer) is not a number")
            #expect(abs(given - expected) < 1e-9, "\(id): \(instruction) → \(answer), recomputed \(expected)")
            #expect(expected > 0 && (expected * 100).rounded() == expected * 100, "\(id): \(expected) is not a whole amount of cents")
        }
        #expect(kinds.count == 10)
    }

    @Test func problemAnswersAreAlreadyNormalizedAndMatchThemselves() throws {
        for problem in try plugin.seedItems("problems") {
            let answer = try #require(problem["answer"]?.stringValue)
            #expect(try plugin.parseOne("final-answer", "Answer: \(answer)") == ["answer": .string(answer)])
            let score = try plugin.evaluate("exact-match", prompt: "", reference: answer, prediction: "So... Answer: \(answer).")
            #expect(score == ["exact_match": 1])
        }
    }

    /// Stored runs refer to problems by id, so the generator's sequence is pinned: a change to it
    /// (seed, SplitMix64, the order of kinds) must be a deliberate one.
    @Test func theGeneratedProblemsArePinned() throws {
        let problems = try plugin.seedItems("problems")
        #expect(problems.prefix(2) == [
            ["id": "problem-001", "kind": "sum", "answer": "40",
             "instruction": "Ivan has 24 marbles and finds 16 more. How many marbles does Ivan have now?"],
            ["id": "problem-002", "kind": "difference", "answer": "17",
             "instruction": "A baker made 37 muffins and sold 20 of them. How many muffins are left?"],
        ])
        #expect(problems.last?["instruction"]?.stringValue
            == "A jacket costs 152 dollars and is on sale for 50% off. What is the sale price, in dollars?")
    }
}
