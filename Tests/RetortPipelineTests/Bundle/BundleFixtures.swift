// A run made in the test, as a distillation run leaves it: a run store with the recipe, kept and
// rejected records, evaluations with held-out samples, and an exported student GGUF — a tiny
// random model carrying SmolLM2's tokenizer and chat template — recorded as the run's artifact.
import Foundation
import RetortHost
import RetortJSON
import RetortKnowledge
import RetortModels
@testable import RetortPipeline
import Testing

enum BundleFixtures {
    static let recipe = """
        name: bundle-test
        seed: 3
        teacher:
          backend: local
          model: smollm2-135m-instruct
        plugins: [c-example]
        knowledge:
          - name: label
            strategy: labeling
            input: {seeds: questions}
            limit: 2
            filters: [short-answers]
        evaluate:
          held_out: 0.25
          generate: 2
        """

    /// The build folder: $RETORT_BUILD_DIR, else the folder of the running test binary.
    static var buildDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["RETORT_BUILD_DIR"] { return dir }
        var dir = PluginDiscovery.executableDirectory() ?? "."
        while dir.contains(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir
    }

    static func plugin(_ name: String) -> String {
        #if os(macOS)
        buildDirectory + "/libretort_plugin_\(name).dylib"
        #else
        buildDirectory + "/libretort_plugin_\(name).so"
        #endif
    }

    static var cExample: String {
        #if os(macOS)
        buildDirectory + "/libretort_plugin_c_example.dylib"
        #else
        buildDirectory + "/libretort_plugin_c_example.so"
        #endif
    }

    /// SmolLM2's GGUF, whose tokenizer and chat template the student carries.
    static var smolLM2: String {
        if let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func scratch(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "retort-bundle-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A finished run in `<parent>/run`; returns its folder.
    static func makeRun(in parent: String, recordArtifact: Bool = true, recipe: String = recipe) throws -> String {
        guard FileManager.default.fileExists(atPath: smolLM2) else {
            throw Missing(description: "SmolLM2 model missing at \(smolLM2): run `make setup` (or set RETORT_TEST_GGUF)")
        }
        guard FileManager.default.fileExists(atPath: cExample) else {
            throw Missing(description: "\(cExample) is missing: run `swift build` before `swift test` (make test does)")
        }
        let run = parent + "/run"
        let store = try RunStore(runDirectory: run)
        try store.setMeta(RunStore.MetaKey.recipe, recipe)
        let provenance = Provenance(stage: "label", strategy: "labeling", plugin: "c-example", template: "c-example.answer",
                                    seedID: "q1", teacher: "local:SmolLM2-135M-Instruct.Q4_1")
        func conversation(_ key: String, _ question: String, _ answer: String) -> KnowledgeRecord {
            KnowledgeRecord(key: key, provenance: provenance, kind: .conversation,
                            payload: ["messages": [["role": "user", "content": .string(question)], ["role": "assistant", "content": .string(answer)]]])
        }
        try store.setStageTotal(stage: "label", units: 2)
        try store.commit(stage: "label", unit: "u1", records: [conversation("c1", "Capital of France?", "Paris")], rejections: [
            RejectedRecord(key: "x1", provenance: provenance, check: "dedup.exact", reason: "same as c1", payload: ["text": "Paris"]),
            RejectedRecord(key: "x2", provenance: provenance, check: "c-example.short-answers", reason: "answer | too long", payload: ["text": "…"]),
        ])
        try store.commit(stage: "label", unit: "u2", records: [conversation("c2", "2+2?", "4")], rejections: [])
        try store.recordEvaluation(
            [EvaluationRow(checkpoint: "baseline", metric: "rouge_l", value: 0.125, stage: "baseline", step: 0),
             EvaluationRow(checkpoint: "baseline", metric: "kl_to_teacher", value: 2.5, stage: "baseline", step: 0),
             EvaluationRow(checkpoint: "distill@20", metric: "rouge_l", value: 0.375, stage: "distill", step: 20),
             EvaluationRow(checkpoint: "distill@20", metric: "kl_to_teacher", value: 1.25, stage: "distill", step: 20)],
            samples: [EvalSampleRow(checkpoint: "distill@20", position: 0, prompt: "Capital of Italy?", reference: "Rome", output: "Rome."),
                      EvalSampleRow(checkpoint: "distill@20", position: 1, prompt: "3+3?", reference: "6", output: "6")])

        // The student: a tiny random model with the teacher's tokenizer and chat template.
        let config = try LlamaConfig(hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                                     intermediateSize: 128, vocabSize: 49152, ropeTheta: 100_000, rmsNormEps: 1e-5,
                                     tieWordEmbeddings: true, maxPositionEmbeddings: 512, initializerRange: 0.5)
        let student = try LlamaModel(config: config, seed: 11)
        let path = run + "/student.gguf"
        try student.writeGGUF(to: path, type: .q8_0, metadataFrom: GGUFFile(path: smolLM2), name: "bundle-test student")
        if recordArtifact {
            try store.recordArtifact(kind: "gguf", path: "student.gguf", sha256: try FileDigest.sha256(of: path))
        }
        return run
    }

    static func options(run: String, output: String) -> BundleOptions {
        var options = BundleOptions(runDirectory: run, output: output)
        options.pluginPath = [cExample]
        options.environment = [:]
        return options
    }

    /// Flips one byte of a file, in place.
    static func flipByte(of path: String, at offset: Int) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let byte = try handle.read(upToCount: 1)![0]
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data([byte ^ 0x5A]))
    }
}
