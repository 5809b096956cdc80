// Bundles of a run: the folder and .tar forms hold the student, the recipe's plugin, the recipe,
// the data and eval cards, an Ollama Modelfile and a manifest of checksums; verify passes on an
// intact bundle and names any file that was changed, removed or added; run answers with the
// bundled student; and what cannot be bundled is refused with the reason.
import Foundation
import RetortJSON
@testable import RetortPipeline
import Testing

@Suite(.serialized) struct BundleTests {
    /// A plugin that reads files beside its library (the multimodal plugin's images and their
    /// annotations) is bundled with them, listed in the manifest, and finds them from the bundle.
    @Test func aPluginsResourceFolderTravelsWithIt() throws {
        let dir = try BundleFixtures.scratch("resources")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let library = BundleFixtures.plugin("multimodal")
        #if os(macOS)
        let resourceFolder = "Retort_MultimodalPlugin.bundle"
        #else
        let resourceFolder = "Retort_MultimodalPlugin.resources"
        #endif
        let run = try BundleFixtures.makeRun(in: dir, recipe: BundleFixtures.recipe.replacingOccurrences(of: "[c-example]", with: "[multimodal]"))
        var options = BundleFixtures.options(run: run, output: dir + "/bundle.tar")
        options.pluginPath = [library]
        let summary = try RunBundle.create(options)
        let resources = summary.manifest.files.map(\.path).filter { $0.hasPrefix("plugins/\(resourceFolder)/images/") }
        #expect(resources.contains("plugins/\(resourceFolder)/images/seeds.jsonl"), "\(summary.manifest.files.map(\.path))")
        #expect(resources.filter { $0.hasSuffix(".png") }.count == 6, "\(resources)")
        let folder = dir + "/unpacked"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xf", dir + "/bundle.tar", "-C", folder]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        let verification = try RunBundle.verify(folder + "/bundle")
        #expect(verification.problems.isEmpty, "\(verification.problems)")
        #expect(verification.loadedPlugins == ["multimodal"])
        let seeds = folder + "/bundle/plugins/\(resourceFolder)/images/seeds.jsonl"
        #expect(FileManager.default.contentsEqual(atPath: seeds, andPath: (library as NSString).deletingLastPathComponent
            + "/\(resourceFolder)/images/seeds.jsonl"))
    }

    @Test func aBundleFolderHoldsEveryPartAndVerifies() throws {
        let dir = try BundleFixtures.scratch("folder")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BundleFixtures.makeRun(in: dir)
        let summary = try RunBundle.create(BundleFixtures.options(run: run, output: dir + "/bundle"))
        let bundle = dir + "/bundle"
        #expect(summary.manifest.student == "student.gguf")
        #expect(summary.manifest.plugins.map(\.id) == ["c-example"])
        #expect(summary.manifest.files.map(\.path) == ["DATA_CARD.md", "EVAL_CARD.md", "Modelfile", "README.md",
                                                       "plugins/libretort_plugin_c_example.so", "recipe.yaml", "student.gguf"])
        #expect(try String(contentsOfFile: bundle + "/recipe.yaml", encoding: .utf8) == BundleFixtures.recipe)
        #expect(FileManager.default.contentsEqual(atPath: bundle + "/plugins/libretort_plugin_c_example.so", andPath: BundleFixtures.cExample))
        #expect(FileManager.default.contentsEqual(atPath: bundle + "/student.gguf", andPath: run + "/student.gguf"))

        let manifest = try JSONValue(parsing: String(contentsOfFile: bundle + "/manifest.json", encoding: .utf8))
        #expect(manifest["format"] == "retort-bundle")
        let studentEntry = manifest["files"]?.arrayValue?.first { $0["path"] == "student.gguf" }
        #expect(studentEntry?["sha256"]?.stringValue == (try FileDigest.sha256(of: run + "/student.gguf")))

        let data = try String(contentsOfFile: bundle + "/DATA_CARD.md", encoding: .utf8)
        #expect(data.contains("Backend: local; model: smollm2-135m-instruct"))
        #expect(data.contains("| label | labeling | c-example | seed set questions of plugin c-example |"))
        #expect(data.contains("Kept: 2. Rejected: 2 (duplicates among them: 1)."))
        #expect(data.contains("| c-example.short-answers | answer \\| too long | 1 |"))
        #expect(data.contains("| label | short-answers |"))
        #expect(data.contains("Teacher model: Apache-2.0"))
        #expect(data.contains("Student model (the GGUF's `general.license`): apache-2.0"))
        #expect(data.contains("Plugin c-example"))

        let eval = try String(contentsOfFile: bundle + "/EVAL_CARD.md", encoding: .utf8)
        #expect(eval.contains("25% of the run's conversation records are held out of training"))
        #expect(eval.contains("2 held-out prompts are answered greedily (at most 96 tokens)"))
        #expect(eval.contains("The run recorded answers to 2 held-out prompts."))
        #expect(eval.contains("| checkpoint | trained by | step | kl_to_teacher | rouge_l |"))
        #expect(eval.contains("| baseline | baseline | 0 | 2.5 | 0.125 |"))
        #expect(eval.contains("| distill@20 | distill | 20 | 1.25 | 0.375 |"))
        #expect(eval.contains("| Capital of Italy? | Rome | Rome. |"))

        let modelfile = try String(contentsOfFile: bundle + "/Modelfile", encoding: .utf8)
        #expect(modelfile.contains("\nFROM ./student.gguf\n"))
        #expect(modelfile.contains("TEMPLATE \"\"\"{{- if .Messages }}{{ if ne (index .Messages 0).Role \"system\" }}<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n{{ end }}{{ end }}\n{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n\"\"\""))
        #expect(modelfile.contains("PARAMETER stop \"<|im_start|>\"\nPARAMETER stop \"<|im_end|>\"\n"))

        let verification = try RunBundle.verify(bundle)
        #expect(verification.problems.isEmpty, "\(verification.problems)")
        #expect(verification.loadedPlugins == ["c-example"])

        // The run records its bundle.
        let artifacts = try RunStore(runDirectory: run, create: false).artifacts()
        #expect(artifacts.contains { $0.kind == "bundle" && $0.path.hasSuffix("/bundle") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["bundle", "run"], "no staging folder is left")
    }

    @Test func verifyNamesAChangedAMissingAndAnUnlistedFile() throws {
        let dir = try BundleFixtures.scratch("tamper")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BundleFixtures.makeRun(in: dir)
        let bundle = dir + "/bundle"
        _ = try RunBundle.create(BundleFixtures.options(run: run, output: bundle))

        try BundleFixtures.flipByte(of: bundle + "/student.gguf", at: 5000)
        var problems = try RunBundle.verify(bundle).problems
        #expect(problems.count == 1)
        #expect(problems.first?.file == "student.gguf")
        #expect(problems.first?.problem.hasPrefix("differs from the manifest: SHA-256 ") == true)
        try BundleFixtures.flipByte(of: bundle + "/student.gguf", at: 5000)
        #expect(try RunBundle.verify(bundle).passed)

        try BundleFixtures.flipByte(of: bundle + "/plugins/libretort_plugin_c_example.so", at: 100)
        try FileManager.default.removeItem(atPath: bundle + "/DATA_CARD.md")
        try Data("extra".utf8).write(to: URL(fileURLWithPath: bundle + "/notes.txt"))
        let verification = try RunBundle.verify(bundle)
        problems = verification.problems
        #expect(problems.map(\.file) == ["DATA_CARD.md", "plugins/libretort_plugin_c_example.so", "notes.txt"])
        #expect(problems[0].problem == "is missing")
        #expect(problems[2].problem == "is not listed in the manifest")
        #expect(verification.loadedPlugins.isEmpty, "a changed library is never loaded")

        try FileManager.default.removeItem(atPath: bundle + "/manifest.json")
        #expect { try RunBundle.verify(bundle) } throws: { error in
            error.localizedDescription == "\(bundle): manifest.json is missing; this is not a Retort bundle"
        }
    }

    @Test func aTarBundleVerifiesRunsAndNamesADamagedMember() throws {
        let dir = try BundleFixtures.scratch("tar")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BundleFixtures.makeRun(in: dir)
        let archive = dir + "/student-bundle.tar"
        let summary = try RunBundle.create(BundleFixtures.options(run: run, output: archive))
        #expect(try RunBundle.verify(archive).passed)

        // The system's tar reads it as the same files.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/tar") {
            let listing = try Self.tar(["-tf", archive])
            #expect(listing.split(separator: "\n").map(String.init).sorted()
                == (["student-bundle/", "student-bundle/manifest.json", "student-bundle/plugins/"]
                    + summary.manifest.files.map { "student-bundle/" + $0.path }).sorted())
            try FileManager.default.createDirectory(atPath: dir + "/untarred", withIntermediateDirectories: true)
            _ = try Self.tar(["-xf", archive, "-C", dir + "/untarred"])
            #expect(try RunBundle.verify(dir + "/untarred/student-bundle").passed)
        }

        var request = BundleRunRequest(bundle: archive, prompt: "What is the capital of France?")
        request.maxTokens = 6
        let answer = try RunBundle.run(request)
        #expect(answer.plugins == ["c-example"])
        #expect(!answer.text.isEmpty)

        // A byte flipped inside the student's data is named by its member path.
        let data = try Data(contentsOf: URL(fileURLWithPath: archive))
        let members = try UstarArchive.members(of: data, file: archive)
        let student = try #require(members.first { $0.path == "student-bundle/student.gguf" })
        try BundleFixtures.flipByte(of: archive, at: student.range.lowerBound + 4096)
        let problems = try RunBundle.verify(archive).problems
        #expect(problems.map(\.file) == ["student.gguf"])
        #expect { try RunBundle.run(request) } throws: { error in
            error.localizedDescription.contains("student.gguf differs from the manifest")
        }
    }

    @Test func runAnswersWithTheStudentsChatTemplate() throws {
        let dir = try BundleFixtures.scratch("run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BundleFixtures.makeRun(in: dir)
        _ = try RunBundle.create(BundleFixtures.options(run: run, output: dir + "/bundle"))
        var request = BundleRunRequest(bundle: dir + "/bundle", prompt: "Name a prime number.")
        request.maxTokens = 6
        request.system = "Answer briefly."
        var streamed = ""
        let answer = try RunBundle.run(request) { streamed += $0 }
        #expect(!answer.text.isEmpty)
        #expect(streamed == answer.text)
        #expect(answer.student == "student.gguf")
    }

    @Test func whatCannotBeBundledIsRefusedWithTheReason() throws {
        let dir = try BundleFixtures.scratch("refuse")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func failure(_ options: BundleOptions) -> String {
            do {
                _ = try RunBundle.create(options)
                return "no error"
            } catch {
                return error.localizedDescription
            }
        }
        #expect(failure(BundleFixtures.options(run: dir + "/none", output: dir + "/b")).contains("no run store at \(dir)/none/run.sqlite"))

        let run = try BundleFixtures.makeRun(in: dir, recordArtifact: false)
        #expect(failure(BundleFixtures.options(run: run, output: dir + "/b"))
            == "\(run): the run has no student GGUF (no artifact of kind \"gguf\" in its store); export the student first")

        let store = try RunStore(runDirectory: run, create: false)
        try store.recordArtifact(kind: "gguf", path: "student.gguf", sha256: String(repeating: "0", count: 64))
        #expect(failure(BundleFixtures.options(run: run, output: dir + "/b"))
            .hasPrefix("\(run)/student.gguf: its SHA-256 is "))
        try store.recordArtifact(kind: "gguf", path: "student.gguf", sha256: try FileDigest.sha256(of: run + "/student.gguf"))

        var noPlugin = BundleFixtures.options(run: run, output: dir + "/b")
        noPlugin.pluginPath = [dir]
        #expect(failure(noPlugin).contains("the recipe's plugin \"c-example\" was not found"))

        try FileManager.default.createDirectory(atPath: dir + "/taken", withIntermediateDirectories: true)
        #expect(failure(BundleFixtures.options(run: run, output: dir + "/taken"))
            == "\(dir)/taken: already exists; remove it or choose another name")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b"))
    }

    static func tar(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tar \(arguments.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self)
    }
}
