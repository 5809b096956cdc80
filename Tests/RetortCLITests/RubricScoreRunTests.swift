// `evaluate.judge.score`: the teacher grades every held-out answer of every checkpoint alone on the
// plugin's rubric, and `teacher_score` is the mean of the grades it could read. The teacher is a
// loopback OpenAI-compatible server whose grade follows from the instruction it is shown, so the
// test knows each grade, and which ones are unreadable, without knowing the student's answers.
import Foundation
import RetortJSON
import RetortPipeline
import RetortTestSupport
import Testing

@Suite struct RubricScoreRunTests {
    /// The grade the server gives an answer to `instruction`: none (an unreadable reply) for a third of them.
    static func grade(_ instruction: String) -> Int? {
        let n = instruction.unicodeScalars.count
        return n % 3 == 0 ? nil : n % 10 + 1
    }

    static func reply(_ request: JSONValue) -> String {
        let prompt = request["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        if prompt.hasPrefix("Rate the response"), let start = prompt.range(of: "Instruction:\n"),
           let end = prompt.range(of: "\n\nResponse:\n", range: start.upperBound..<prompt.endIndex) {
            let instruction = String(prompt[start.upperBound..<end.lowerBound])
            return grade(instruction).map { "Rationale: it answers.\nScore: \($0)" } ?? "I would rather not grade this."
        }
        if prompt.contains("Response A:") { return "Rationale: A is clearer.\nVerdict: A" }
        return "A short and clear answer to the question."
    }

    @Test func eachCheckpointGetsTheMeanOfTheGradesTheTeacherGave() async throws {
        let server = try await ScriptedOpenAIServer.start { Self.reply($0) }
        let recipe = """
            name: rubric-score
            seed: 3
            teacher: {backend: openai, base_url: "\(server.openAIBaseURL)", model: scripted, concurrency: 4, max_attempts: 1}
            plugins: [instruct]
            knowledge:
              - {name: label, strategy: labeling, input: {seeds: tasks}, limit: 12, max_tokens: 48}
            student: {from: model, model: smollm2-135m-instruct, layers: 4}
            distill:
              - {name: sft, objectives: [sft], steps: 1, batch: 2, sequence_length: 128}
            evaluate: {held_out: 0.3, max_examples: 4, generate: 4, max_tokens: 4, judge: {against: [teacher], max_tokens: 32, score: true}}
            export: {gguf: []}
            """
        let (file, run) = try ElicitFixture.write(recipe)
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try await MultimodalRecipeTests.elicit(["run", file, "--run-dir", run])
        await server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("grades each held-out answer on the instruct.rubric rubric"), "\(result.stdout)")

        let store = try RunStore(runDirectory: run, create: false)
        let scores = Dictionary(uniqueKeysWithValues: try store.evaluations().filter { $0.metric == "teacher_score" }.map { ($0.checkpoint, $0.value) })
        let samples = Dictionary(grouping: try store.evalSamples(), by: \.checkpoint)
        #expect(Set(samples.keys) == ["baseline", "sft@1"])
        for (checkpoint, answers) in samples {
            let grades = answers.compactMap { Self.grade($0.prompt) }
            if grades.isEmpty {
                #expect(scores[checkpoint] == nil, "\(checkpoint): every grade was unreadable, yet a score was stored")
            } else {
                let expected = Double(grades.reduce(0, +)) / Double(grades.count)
                #expect(abs((scores[checkpoint] ?? .nan) - expected) < 1e-9, "\(checkpoint): \(scores) vs \(expected) from \(answers.map(\.prompt))")
            }
        }
        // An API teacher's verdicts are read from its text: "A" in both orders is a split verdict, a tie.
        let winRates = try store.evaluations().filter { $0.metric == "win_rate_vs_teacher" }
        #expect(Set(winRates.map(\.checkpoint)) == ["baseline", "sft@1"] && winRates.allSatisfy { $0.value == 0.5 }, "\(winRates)")
        // A second run grades nothing again.
        let before = server.requests.count
        let again = try await MultimodalRecipeTests.elicit(["run", file, "--run-dir", run, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(server.requests.count == before)
    }
}
