// PERsD (Chen et al., 2023) end to end, with the embedded model as both student and teacher: the
// student's attempt runs in the code sandbox, the sandbox's reason for its failure goes into the
// `refine` prompt, and the teacher's fix is parsed and executed again like any solution. The
// knowledge engine has no strategy for this loop yet, so the test drives the plugin's parts
// through the host the way that strategy will.
import Foundation
import RetortHost
import RetortJSON
import RetortPipeline
import RetortTeachers
import Testing

@Suite struct CodeRefinementTests {
    func ask(_ teacher: LocalTeacher, _ prompt: String) async throws -> String {
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: prompt)], maxTokens: 160,
                                     sampling: TeacherSampling(temperature: 0, seed: 1))
        return try await teacher.complete(request).choices.first?.text ?? ""
    }

    @Test func aFailingAttemptReachesTheTeacherWithItsExecutionError() async throws {
        try TinyRecipeRun.requireModel()
        let plugin = try PluginRegistry().load(file: RetortCommand.library("retort_plugin_code"))
        let teacher = try TeacherFactory.loadLocalTeacher("smollm2-135m-instruct", modelsDirectory: nil)
        let attemptTemplate = try #require(plugin.templates.first { $0.descriptor.name == "attempt" })
        let refineTemplate = try #require(plugin.templates.first { $0.descriptor.name == "refine" })

        // The student's attempts, until one runs and fails its tests (not merely unparsable).
        var failing: (instruction: JSONValue, code: String, reason: String)?
        for problem in try plugin.seedItems("problems-inline").prefix(8) where failing == nil {
            let instruction = try #require(problem["instruction"])
            let output = try await ask(teacher, try attemptTemplate.render(["instruction": instruction]))
            guard let parsed = try? plugin.parse(parser: "python-code", output: output).first else { continue }
            let verdict = try plugin.filter("passes-tests", record: ["instruction": instruction, "response": parsed["response"]!])
            if !verdict.keep, let reason = verdict.reason { failing = (instruction, parsed["code"]!.stringValue!, reason) }
        }
        let attempt = try #require(failing, "the student passed or could not answer the first eight problems: nothing to refine")

        let prompt = try refineTemplate.render(["instruction": attempt.instruction, "code": .string(attempt.code), "error": .string(attempt.reason)])
        #expect(prompt.contains(attempt.reason))
        #expect(prompt.contains(attempt.code))
        let fix = try await ask(teacher, prompt)
        #expect(!fix.isEmpty)
        // The fix is judged like any solution: kept only if it passes, else rejected with a reason.
        do {
            let record = try #require(try plugin.parse(parser: "python-code", output: fix).first)
            let verdict = try plugin.filter("passes-tests", record: ["instruction": attempt.instruction, "response": record["response"]!])
            #expect(verdict.keep || !(verdict.reason ?? "").isEmpty)
        } catch let error as PluginCallError {
            #expect(error.status == .parse && !error.message.isEmpty, "\(error)")
        }
    }
}
