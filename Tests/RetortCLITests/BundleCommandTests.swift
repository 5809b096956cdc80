// `retort bundle`, `retort bundle verify` and `retort bundle run`, run as processes on a run made in
// the test (its student exported from SmolLM2 with `retort convert`): the bundle verifies, a changed
// or removed file fails verification naming it (exit 2), and the bundled student answers.
import Foundation
import RetortPipeline
import Testing

@Suite(.serialized) struct BundleCommandTests {
    static let recipe = """
        name: cli-bundle
        teacher: {backend: local, model: smollm2-135m-instruct}
        plugins: [c-example]
        """

    /// A run folder whose student is SmolLM2 requantized to Q4_0.
    static func makeRun(in dir: String) throws -> String {
        let run = dir + "/run"
        let store = try RunStore(runDirectory: run)
        try store.setMeta(RunStore.MetaKey.recipe, recipe)
        let converted = try RetortCommand.run(["convert", try CLIModelFixture.smolLM2(), run + "/student.gguf", "--type", "Q4_0"])
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(converted.stdout.contains("(GGUF Q4_0, 30 layers"))
        try store.recordArtifact(kind: "gguf", path: run + "/student.gguf", sha256: try sha256(run + "/student.gguf"))
        return run
    }

    static func sha256(_ path: String) throws -> String {
        let process = Process()
        #if os(macOS)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/shasum")
        process.arguments = ["-a", "256", path]
        #else
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        #endif
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    @Test func aRunBundlesVerifiesAndAnswers() throws {
        let dir = try CLIModelFixture.scratch("bundle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.makeRun(in: dir)
        let plugin = RetortCommand.library("retort_plugin_c_example")

        let made = try RetortCommand.run(["bundle", run, "-o", dir + "/b", "--plugin-path", plugin])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("wrote \(dir)/b: student.gguf, plugins c-example, 7 files, "))

        let verified = try RetortCommand.run(["bundle", "verify", dir + "/b"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout == "\(dir)/b: OK — 7 files match the manifest; student.gguf parses; plugins c-example load\n")

        let answer = try RetortCommand.run(["bundle", "run", dir + "/b", "--prompt", "What is the capital of France?", "--max-tokens", "12"])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(!answer.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)

        let archived = try RetortCommand.run(["bundle", run, "-o", dir + "/b.tar", "--plugin-path", plugin])
        #expect(archived.status == 0, "\(archived.stderr)")
        #expect(try RetortCommand.run(["bundle", "verify", dir + "/b.tar"]).status == 0)

        // A flipped byte and a removed file are named; the exit code is 2.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: dir + "/b/student.gguf"))
        try handle.seek(toOffset: 1_000_000)
        try handle.write(contentsOf: Data([0xA5, 0x5A]))
        try handle.close()
        try FileManager.default.removeItem(atPath: dir + "/b/Modelfile")
        let broken = try RetortCommand.run(["bundle", "verify", dir + "/b"])
        #expect(broken.status == 2)
        let lines = broken.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(broken.stderr)")
        #expect(lines[0] == "error: Modelfile: is missing")
        #expect(lines[1].hasPrefix("error: student.gguf: differs from the manifest: SHA-256 "))
        #expect(lines[2] == "\(dir)/b: 2 problem(s)")

        let refused = try RetortCommand.run(["bundle", "run", dir + "/b", "--prompt", "Hi"])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("error: \(dir)/b: student.gguf differs from the manifest"))
    }

    @Test func missingRunsAndBundlesAreOneErrorLine() throws {
        let dir = try CLIModelFixture.scratch("bundle-missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let noRun = try RetortCommand.run(["bundle", dir + "/nope", "-o", dir + "/b"])
        #expect(noRun.status == 2)
        #expect(noRun.stderr == "error: no run store at \(dir)/nope/run.sqlite; give the folder of a run (the one holding run.sqlite)\n")
        let noBundle = try RetortCommand.run(["bundle", "verify", dir + "/nope"])
        #expect(noBundle.status == 2)
        #expect(noBundle.stderr == "error: \(dir)/nope: no such bundle (a folder or a .tar made by `retort bundle`)\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b"))
    }
}
