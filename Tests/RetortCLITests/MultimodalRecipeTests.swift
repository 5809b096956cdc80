// The multimodal plugin end to end through `retort elicit`: a smaller run of
// Examples/recipes/multimodal-tiny.yaml against the embedded (text-only) teacher keeps records
// that carry their image's path and SHA-256 and rejects the rest with reasons; against a loopback
// OpenAI-compatible server, a vision teacher receives each PNG as a base64 image part and no
// annotations, a text-only one the captions and boxes instead; a missing image stops the stage
// with the file's name.
import Dispatch
import Foundation
import RetortJSON
import RetortKnowledge
import RetortPipeline
import RetortTestSupport
import Testing

@Suite(.serialized) struct MultimodalRecipeTests {
    static let library = "retort_plugin_multimodal"
    /// SwiftPM copies the plugin's images beside the library, in the target's resource folder.
    #if os(macOS)
    static let resources = "Retort_MultimodalPlugin.bundle"
    #else
    static let resources = "Retort_MultimodalPlugin.resources"
    #endif
    static var images: String { RetortCommand.buildDirectory + "/\(resources)/images" }

    /// sha256sum's digest of a file: an implementation independent of the one under test.
    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    /// Runs the (blocking) command on a plain thread, so the loopback server keeps the cooperative pool.
    static func elicit(_ arguments: [String]) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try RetortCommand.run(arguments) }) }
        }
    }

    static func recipe(teacher: String, limit: Int = 2) -> String {
        """
        name: multimodal-loopback
        seed: 1
        teacher: \(teacher)
        plugins: [multimodal]
        knowledge:
          - {name: conversation, strategy: labeling, input: {seeds: images}, limit: \(limit), template: conversation, parser: qa-turns, filters: [answers-the-image, grounded-in-annotations], max_tokens: 64}
        """
    }

    static func teacher(_ server: ScriptedOpenAIServer, vision: Bool) -> String {
        "{backend: openai, base_url: \"\(server.openAIBaseURL)\", model: vision-test, vision: \(vision), concurrency: 1, max_attempts: 1}"
    }

    /// An answer that is right for the two-shapes image and wrong (red) for the triangles.
    static let answer = "Question: What color is the circle?\nAnswer: The circle is red.\nQuestion: What is on the right?\nAnswer: A blue square."

    @Test func theMultimodalPluginIsListedAndInspectable() throws {
        try TinyRecipeRun.inspect("multimodal", kind: "skill", expected: [
            "templates": ["conversation", "detailed-description", "complex-reasoning", "system-visual-assistant"],
            "parsers": ["qa-turns", "detailed-description"], "filters": ["grounded-in-annotations", "answers-the-image"],
            "evaluators": ["object-recall"], "seeds": ["images"],
        ])
    }

    @Test func theTinyRecipeKeepsImageRecordsWithTheirReferenceAndRejectsTheRestWithReasons() throws {
        let outcome = try TinyRecipeRun.run("multimodal-tiny.yaml", limits: ["conversation": 2, "description": 1, "reasoning": 1])
        for stage in ["conversation", "description", "reasoning"] { #expect(outcome.stored(stage: stage) > 0, "stage \(stage) stored nothing") }
        #expect(!outcome.kept.isEmpty, "nothing was kept")
        #expect(!outcome.rejected.isEmpty, "nothing was rejected")
        for record in outcome.kept {
            let image = try #require(record.payload["image"], "\(record.key) has no image reference")
            let path = try #require(image["path"]?.stringValue)
            #expect(path.hasPrefix("\(Self.resources)/images/") && path.hasSuffix(".png"))
            #expect(image["sha256"]?.stringValue == (try Self.sha256sum(RetortCommand.buildDirectory + "/" + path)))
            #expect(record.payload["image_input"] == "annotations", "the embedded teacher is text-only")
            #expect(record.payload["messages"]?.arrayValue?.first?["role"] == "user")
        }
        let allowed: Set<String> = ["parser", "length", "input", "empty", "charset", "refusal", "dedup.exact", "dedup.near",
                                    "multimodal.answers-the-image", "multimodal.grounded-in-annotations"]
        for rejection in outcome.rejected {
            #expect(!rejection.reason.isEmpty, "\(rejection.key) has no reason")
            #expect(allowed.contains(rejection.check), "\(rejection.key): unexpected check \(rejection.check): \(rejection.reason)")
        }
    }

    @Test func aVisionTeacherGetsEachPNGAsABase64ImagePartAndNoAnnotations() async throws {
        let server = try await ScriptedOpenAIServer.start { _ in Self.answer }
        let (file, run) = try ElicitFixture.write(Self.recipe(teacher: Self.teacher(server, vision: true)))
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try await Self.elicit(["elicit", file, "--run-dir", run, "--quiet"])
        await server.stop()
        #expect(result.status == 0, "\(result.stderr)")

        let requests = server.requests.compactMap(\.json)
        #expect(requests.count == 2)
        var sent: [Data] = []
        for request in requests {
            let content = try #require(request["messages"]?.arrayValue?.last?["content"]?.arrayValue, "the user turn has content parts")
            let url = try #require(content.first { $0["type"] == "image_url" }?["image_url"]?["url"]?.stringValue)
            #expect(url.hasPrefix("data:image/png;base64,"))
            sent.append(try #require(Data(base64Encoded: String(url.dropFirst("data:image/png;base64,".count)))))
            let text = content.compactMap { $0["type"] == "text" ? $0["text"]?.stringValue : nil }.joined()
            #expect(text.contains("Write a conversation") && !text.contains("Captions") && !text.contains("0.125"),
                    "a vision teacher is not given the annotations: \(text)")
        }
        let files = try ["shapes-two.png", "shapes-triangles.png"].map { try #require(FileManager.default.contents(atPath: Self.images + "/" + $0)) }
        #expect(Set(sent) == Set(files), "the request carries the image files' exact bytes")

        let store = try RunStore(runDirectory: run, create: false)
        let kept = try store.records(stage: nil, kind: nil)
        #expect(kept.map(\.provenance.seedID) == ["shapes-two"])
        #expect(kept.first?.payload["image"]?["sha256"]?.stringValue == (try Self.sha256sum(Self.images + "/shapes-two.png")))
        #expect(kept.first?.payload["image_input"] == "pixels")
        #expect(kept.first?.payload["messages"]?.arrayValue?.count == 4)
        let rejected = try store.rejections(stage: nil)
        #expect(rejected.map(\.check) == ["multimodal.grounded-in-annotations"])
        #expect(rejected.first?.reason.contains("\"red\"") == true, "\(rejected.first?.reason ?? "")")
    }

    @Test func aTextOnlyTeacherGetsTheCaptionsAndBoxesInThePromptInstead() async throws {
        let server = try await ScriptedOpenAIServer.start { _ in Self.answer }
        let (file, run) = try ElicitFixture.write(Self.recipe(teacher: Self.teacher(server, vision: false), limit: 1))
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try await Self.elicit(["elicit", file, "--run-dir", run, "--quiet"])
        await server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        let request = try #require(server.requests.first?.json)
        let content = try #require(request["messages"]?.arrayValue?.last?["content"]?.stringValue, "text only: content is a string")
        #expect(content.contains("A red circle to the left of a blue square on a white background."))
        #expect(content.contains("red circle: [0.125, 0.292, 0.438, 0.708]"))
        #expect(!server.requests[0].body.contains("image_url"))
        let kept = try RunStore(runDirectory: run, create: false).records(stage: nil, kind: nil)
        #expect(kept.first?.payload["image_input"] == "annotations")
    }

    @Test func aMissingImageStopsTheStageNamingTheFile() async throws {
        // A copy of the plugin whose resource folder lacks one image.
        let folder = NSTemporaryDirectory() + "retort-multimodal-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try fm.copyItem(atPath: RetortCommand.library(Self.library), toPath: folder + "/lib\(Self.library).so")
        try fm.copyItem(atPath: RetortCommand.buildDirectory + "/" + Self.resources, toPath: folder + "/" + Self.resources)
        try fm.removeItem(atPath: folder + "/\(Self.resources)/images/shapes-two.png")

        let server = try await ScriptedOpenAIServer.start { _ in Self.answer }
        let (file, run) = try ElicitFixture.write(Self.recipe(teacher: Self.teacher(server, vision: true)))
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try await Self.elicit(["elicit", file, "--run-dir", run, "--quiet", "--plugin-path", folder + "/lib\(Self.library).so"])
        await server.stop()
        #expect(result.status != 0)
        #expect(result.stderr.contains("images/shapes-two.png") && result.stderr.contains("does not exist"), "\(result.stderr)")
        #expect(server.requests.isEmpty, "no teacher call is made before the images are checked")
    }
}
