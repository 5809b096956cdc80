// A run killed with SIGKILL at random moments (several times) and then resumed ends with exactly
// the records and rejections of an uninterrupted run, and with no teacher call stored twice.
import Foundation
import RetortPipeline
import Testing

@Suite(.serialized) struct ElicitKillResumeTests {
    static let recipe = """
        name: killable
        seed: 5
        \(ElicitFixture.localTeacher)
        plugins: [instruct]
        knowledge:
          - {name: expand, strategy: expansion, method: self-instruct, seeds: {seeds: tasks}, target: 6, max_prompts: 3, per_prompt: 3, max_tokens: 40}
          - {name: label, strategy: labeling, input: {stage: expand}, max_tokens: 24}
        """

    /// Starts `retort elicit` and kills it with SIGKILL after `delay` seconds (if still running).
    static func runAndKill(_ recipe: String, run: String, after delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RetortCommand.buildDirectory + "/retort")
        process.arguments = ["elicit", recipe, "--run-dir", run, "--quiet"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "RETORT_PLUGIN_PATH")
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed
    }

    @Test func killedRunsResumeToExactlyTheUninterruptedResult() throws {
        let (recipe, clean) = try ElicitFixture.write(Self.recipe)
        let uninterrupted = try RetortCommand.run(["elicit", recipe, "--run-dir", clean, "--quiet"])
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let expected = try ElicitFixture.contents(of: clean)
        #expect(!expected.records.isEmpty)
        let expectedCalls = try RunStore(runDirectory: clean, create: false).stats().teacherCalls

        let killedRun = (recipe as NSString).deletingLastPathComponent + "/killed"
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<4 {
            // Model loading takes about a second; kill anywhere from just after it to well into the stages.
            if try Self.runAndKill(recipe, run: killedRun, after: Double.random(in: 0.8...6, using: &generator)) { kills += 1 }
        }
        let resumed = try RetortCommand.run(["elicit", recipe, "--run-dir", killedRun, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(kills > 0, "the run finished before any kill; the test proved nothing")
        let got = try ElicitFixture.contents(of: killedRun)
        #expect(got.records == expected.records)
        #expect(got.rejections == expected.rejections)
        let store = try RunStore(runDirectory: killedRun, create: false)
        #expect(try store.stats().teacherCalls == expectedCalls, "teacher calls were stored twice or lost")
        #expect(try store.integrityProblems().isEmpty)
    }
}
