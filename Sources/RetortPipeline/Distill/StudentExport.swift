// The export phase of a run: the trained student — the last distill stage's final checkpoint, its
// LoRA adapters merged — written under <run>/export as the recipe's GGUF types (tokenizer and chat
// template carried over from the model the student came from) and optionally a Hugging Face folder,
// each recorded as a run artifact with its SHA-256; then the bundle in <run>/bundle. An export
// that already matches the run's last checkpoint is not redone.
import Foundation
import RetortModels

struct StudentExport {
    let recipe: Recipe
    let store: RunStore
    let runDirectory: String
    let models: RunModels
    let bundle: BundleOptions
    let log: (String) -> Void

    /// run_meta key: the checkpoint the files in <run>/export were written from.
    static let fromKey = "export.from"
    static let folder = "export"
    static let bundleFolder = "bundle"

    /// Artifact kinds: the first GGUF type is "gguf" (the bundled student), the others "gguf.<type>".
    static func ggufKind(_ index: Int, _ type: GGUFExportType) -> String { index == 0 ? "gguf" : "gguf.\(type.rawValue)" }
    static let huggingFaceKind = "huggingface"

    /// The checkpoint to export: the last distill stage's final step, or the un-distilled student.
    func checkpoint() throws -> String {
        guard let last = recipe.distill.last else { return "baseline" }
        guard let step = try store.meta(TrainingSession.doneKey(last.name)).flatMap({ Int($0) }) else {
            throw DistillError("the distill stage \(last.name) has not finished, so there is no trained student to export; run `retort run` (or `retort train`) on the recipe first")
        }
        return TrainingSession.checkpointName(last.name, step)
    }

    func run(loadWeights: (_ stage: String) throws -> Void) throws {
        let spec = recipe.export
        let source = try checkpoint()
        let expectedKinds = spec.gguf.enumerated().map { Self.ggufKind($0.offset, $0.element) }
            + (spec.huggingFace == nil ? [] : [Self.huggingFaceKind])
        let recorded = Dictionary(try store.artifacts().map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        let upToDate = try store.meta(Self.fromKey) == source
            && expectedKinds.allSatisfy { kind in recorded[kind].map { FileManager.default.fileExists(atPath: $0.path) } ?? false }
        if upToDate {
            log("== export: up to date with \(source)")
        } else {
            if let last = recipe.distill.last { try loadWeights(last.name) }
            if !models.student.model.layers.allSatisfy({ $0.adapters.isEmpty }) {
                log("== merging the LoRA adapters into the student's weights")
                models.student.model.mergeLoRA()
            }
            try write(spec, source: source)
        }
        if spec.bundle { try makeBundle(replace: !upToDate) }
    }

    private func write(_ spec: ExportSpec, source: String) throws {
        // Absolute, so the recorded paths hold whatever the working directory of a later command.
        let directory = URL(fileURLWithPath: runDirectory + "/" + Self.folder).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The name the bundle gives the model in Ollama, which is also a safe file name.
        let base = OllamaModelfile.ollamaName(recipe.name)
        let student = models.student.model
        if !spec.gguf.isEmpty {
            let metadata = try ggufMetadata()
            for (index, type) in spec.gguf.enumerated() {
                let path = directory + "/\(base)-\(type.rawValue).gguf"
                let summary = try student.writeGGUF(to: path, type: type, metadata: metadata)
                try store.recordArtifact(kind: Self.ggufKind(index, type), path: path, sha256: try FileDigest.sha256(of: path))
                let size = ByteCountFormatter.string(fromByteCount: Int64(summary.bytes), countStyle: .file)
                log("== exported \(source) as GGUF \(type): \(path) (\(size))")
            }
        }
        if let dtype = spec.huggingFace {
            let folder = directory + "/\(base)-hf"
            // The folder is this run's own earlier export of an older checkpoint.
            if FileManager.default.fileExists(atPath: folder) { try FileManager.default.removeItem(atPath: folder) }
            try student.writeHuggingFaceFolder(to: folder, dtype: dtype, tokenizerFrom: models.student.info)
            let weights = folder + "/model.safetensors"
            try store.recordArtifact(kind: Self.huggingFaceKind, path: folder, sha256: try FileDigest.sha256(of: weights))
            log("== exported \(source) as a Hugging Face folder (\(dtype.rawValue)): \(folder)")
        }
        try store.setMeta(Self.fromKey, source)
    }

    /// The tokenizer, chat template and license of the GGUF the student came from, else a
    /// description built from the tokenizer the student uses.
    private func ggufMetadata() throws -> GGUFExportMetadata {
        if let path = models.sourcePath, path.lowercased().hasSuffix(".gguf") {
            var metadata = try GGUFExportMetadata(from: try GGUFFile(path: path))
            metadata.name = recipe.name
            return metadata
        }
        return try GGUFExportMetadata(info: models.student.info, name: recipe.name, source: models.sourcePath ?? recipe.file)
    }

    private func makeBundle(replace: Bool) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: bundle.output) {
            guard replace else {
                log("== bundle: \(bundle.output) (up to date)")
                return
            }
            // An older bundle of this run, made from an earlier export.
            try fm.removeItem(atPath: bundle.output)
        }
        let summary = try RunBundle.create(bundle)
        log("== bundle: \(summary)")
    }
}
