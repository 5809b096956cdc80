// PERsD (Chen et al., 2023) as a recipe stage (`strategy: refinement`): the embedded model attempts
// each problem as the student, its attempt runs in the code plugin's sandbox, and a failing attempt
// goes to the teacher with the sandbox's reason. The teacher here is a loopback OpenAI-compatible
// server that answers each refinement with the problem's reference solution, except for one
// problem where it answers wrong twice: so the test knows which fixes pass, and checks that the
// student's code and error reach the teacher, a working fix is kept as the answer to the problem,
// and a fix that keeps failing is rejected with its error after the rounds run out.
import Foundation
import RetortHost
import RetortJSON
import RetortPipeline
import RetortTestSupport
import Testing

@Suite struct CodeRefinementTests {
    /// Reference solutions of the code plugin's problems, by the start of their instruction.
    static func references() throws -> [(instruction: String, solution: String)] {
        let plugin = try PluginRegistry().load(file: RetortCommand.library("retort_plugin_code"))
        return try plugin.seedItems("problems").compactMap { item in
            guard let instruction = item["instruction"]?.stringValue, let solution = item["reference"]?.stringValue else { return nil }
            return (instruction, solution)
        }
    }

    @Test func failingAttemptsAreRefinedByTheTeacherWithTheirExecutionError() async throws {
        try TinyRecipeRun.requireModel()
        let references = try Self.references()
        let wrong = try #require(references.dropFirst(2).first, "the code plugin has at least three problems")
        let server = try await ScriptedOpenAIServer.start { request in
            let prompt = request["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            guard let reference = references.first(where: { prompt.contains($0.instruction) }) else { return "I cannot help with that." }
            if reference.instruction == wrong.instruction { return "The bug is the return value.\n```python\ndef unrelated():\n    return 0\n```" }
            return "The student's code is wrong; here is a fix.\n```python\n\(reference.solution)\n```"
        }
        let recipe = """
            name: code-refinement
            seed: 7
            teacher: {backend: openai, base_url: "\(server.openAIBaseURL)", model: scripted, concurrency: 2, max_attempts: 1}
            plugins: [code]
            knowledge:
              - {name: refine, strategy: refinement, input: {seeds: problems-inline}, student: smollm2-135m-instruct, limit: 3, rounds: 2,
                 temperature: 0, max_tokens: 120}
            """
        let (file, run) = try ElicitFixture.write(recipe)
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try await MultimodalRecipeTests.elicit(["elicit", file, "--run-dir", run, "--quiet"])
        await server.stop()
        #expect(result.status == 0, "\(result.stderr)")

        let store = try RunStore(runDirectory: run, create: false)
        let kept = try store.records(stage: "refine", kind: nil)
        let rejected = try store.rejections(stage: "refine")
        #expect(kept.count + rejected.count == 3, "one outcome per problem: \(kept.map(\.key)) \(rejected.map(\.reason))")
        let prompts = server.requests.compactMap { $0.json?["messages"]?.arrayValue?.last?["content"]?.stringValue }
        for record in kept {
            let error = try #require(record.payload["student_error"]?.stringValue)
            let code = try #require(record.payload["student_code"]?.stringValue)
            #expect(prompts.contains { $0.contains(error) && $0.contains(code) }, "the teacher saw the student's code and its error")
            let instruction = try #require(record.payload["instruction"]?.stringValue)
            let reference = try #require(references.first { instruction.contains($0.instruction) })
            #expect(reference.instruction != wrong.instruction)
            let answer = record.payload["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            #expect(answer.contains(reference.solution), "the kept answer is the teacher's working fix")
            #expect(record.payload["refinement_rounds"]?.doubleValue == 1)
        }
        for rejection in rejected {
            switch rejection.check {
            case "refinement.student-passed":
                #expect(rejection.reason.contains("nothing for the teacher to refine"))
            case "refinement.passes-tests":
                #expect(rejection.reason.contains("still fails after 2 round(s)"), "\(rejection.reason)")
                #expect(rejection.payload["teacher_error_2"]?.stringValue?.isEmpty == false)
            default:
                Issue.record("unexpected rejection \(rejection.check): \(rejection.reason)")
            }
        }
        // The wrong fixes were refined once more with their own error, then rejected.
        if !rejected.contains(where: { $0.check == "refinement.student-passed" && ($0.payload["instruction"]?.stringValue ?? "").contains(wrong.instruction) }) {
            #expect(rejected.contains { $0.check == "refinement.passes-tests" })
            #expect(prompts.filter { $0.contains(wrong.instruction) && $0.contains("def unrelated") }.count == 1)
        }
        #expect(!kept.isEmpty, "the 135M student passed both problems the teacher fixes correctly, so nothing was refined")
    }
}
