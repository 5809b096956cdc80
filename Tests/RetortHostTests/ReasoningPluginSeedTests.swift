// The reasoning plugin's generated problems: the same on every load, unique, held-out problems
// disjoint from training ones, and every answer checked twice — the worked solution's final
// answer and the program of thought (run by the plugin's interpreter) both give it.
import RetortHost
import RetortJSON
import Testing

@Suite struct ReasoningPluginSeedTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ReasoningPluginLibrary.load()
    }

    func field(_ item: JSONValue, _ key: String) throws -> String {
        try #require(item[key]?.stringValue, "\(item.jsonText) has no string \"\(key)\"")
    }

    @Test func problemSetsHaveEveryKindUniqueIdsAndNoSharedInstruction() throws {
        let problems = try plugin.seedItems("problems"), eval = try plugin.seedItems("eval")
        #expect(problems.count == 65)
        #expect(eval.count == 39)
        let kinds = Set(try problems.map { try field($0, "kind") })
        #expect(kinds.count == 13)
        #expect(Set(try eval.map { try field($0, "kind") }) == kinds)
        let ids = try (problems + eval).map { try field($0, "id") }
        #expect(Set(ids).count == ids.count)
        #expect(try field(problems[0], "id") == "reasoning-001")
        #expect(try field(eval[0], "id") == "reasoning-eval-001")
        let training = Set(try problems.map { try field($0, "instruction") })
        #expect(try eval.allSatisfy { !training.contains(try field($0, "instruction")) })
        #expect(training.count == problems.count)
    }

    @Test func theGeneratorIsDeterministic() throws {
        let again = try ReasoningPluginLibrary.load().seedItems("problems")
        #expect(try plugin.seedItems("problems") == again)
    }

    @Test func everySolutionAndEveryProgramReachesTheStoredAnswer() throws {
        for problem in try plugin.seedItems("problems") + plugin.seedItems("eval") {
            let id = try field(problem, "id"), answer = try field(problem, "answer")
            let solved = try plugin.parseOne("chain-of-thought", try field(problem, "solution"))
            #expect(solved["answer"] == .string(answer), "\(id): the solution says \(solved["answer"]?.jsonText ?? "")")
            let computed = try plugin.parseOne("program-of-thought", try field(problem, "program"))
            #expect(computed["answer"] == .string(answer), "\(id): the program computes \(computed["answer"]?.jsonText ?? "")")
            #expect(try plugin.filter("known-answer", record: ["instruction": problem["instruction"]!, "answer": .string(answer)]).keep)
        }
    }
}
