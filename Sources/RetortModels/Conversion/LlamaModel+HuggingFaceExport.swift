// Exporting a model as a Hugging Face folder that transformers (and Retort) load: model.safetensors
// under HF names and row order, config.json, tokenizer.json, tokenizer_config.json and
// generation_config.json. The folder is assembled beside the destination and renamed into place,
// so a reader never sees half of it; an existing non-empty folder is never overwritten.
import Foundation

/// What a Hugging Face export wrote.
public struct HuggingFaceExportSummary: Sendable, Equatable {
    public let folder: String
    public let architecture: String
    public let dtype: SafeTensorsDType
    /// File names in the folder.
    public let files: [String]
}

extension LlamaModel {
    /// Writes the model to `folder` with the tokenizer and chat template `info` describes (usually
    /// the teacher's GGUF metadata). `dtype` is F32, F16 or BF16.
    @discardableResult
    public func writeHuggingFaceFolder(to folder: String, dtype: SafeTensorsDType = .f32, tokenizerFrom info: GGUFModelInfo) throws
        -> HuggingFaceExportSummary
    {
        let family = try checkExportable(file: folder, gguf: false)
        let config = try HuggingFaceConfigJSON.make(config: self.config, family: family, tokenizer: info.tokenizer, dtype: dtype, file: folder)
        if info.tokenizer.tokens.count > self.config.vocabSize {
            throw ModelConversionError(
                file: folder, "the tokenizer has \(info.tokenizer.tokens.count) tokens but the model's embedding has \(self.config.vocabSize) rows (vocab_size); the model and tokenizer do not belong together")
        }
        let files: [(String, Data)] = [
            ("config.json", Data(config.text().utf8)),
            ("generation_config.json", Data(HuggingFaceConfigJSON.generationConfig(info.tokenizer).text().utf8)),
            ("tokenizer.json", Data(try HuggingFaceTokenizerFiles.tokenizerJSON(info.tokenizer, file: folder).text().utf8)),
            ("tokenizer_config.json", Data(HuggingFaceTokenizerFiles.tokenizerConfigJSON(info).text().utf8)),
        ]
        let weights: SafeTensorsWriter
        do {
            weights = try weightsWriter(as: dtype)
        } catch {
            throw ModelConversionError(file: folder, "the weights cannot be stored as \(dtype.rawValue): \(error.localizedDescription)")
        }
        try FolderReplacement.write(folder) { staging in
            for (name, data) in files { try data.write(to: URL(fileURLWithPath: staging + "/" + name)) }
            try weights.write(to: staging + "/model.safetensors")
        }
        return HuggingFaceExportSummary(folder: folder, architecture: family.huggingFaceClass, dtype: dtype,
                                        files: (files.map(\.0) + ["model.safetensors"]).sorted())
    }
}

/// Writing a folder as a whole: filled under a temporary name beside the destination, then renamed.
enum FolderReplacement {
    static func write(_ folder: String, fill: (String) throws -> Void) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ModelConversionError(file: folder, "is a file; give a folder to write the model into")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
            guard contents.isEmpty else {
                throw ModelConversionError(file: folder, "already exists and is not empty; remove it or choose another folder")
            }
        }
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        let staging = parent + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw ModelConversionError(file: folder, "cannot be created: \(error.localizedDescription)")
        }
        do {
            try fill(staging)
            if fm.fileExists(atPath: folder) { try fm.removeItem(atPath: folder) }  // empty, checked above
            guard rename(staging, folder) == 0 else {
                throw ModelConversionError(file: folder, "cannot be put in place: \(String(cString: strerror(errno)))")
            }
        } catch let error as ModelConversionError {
            try? fm.removeItem(atPath: staging)
            throw error
        } catch {
            try? fm.removeItem(atPath: staging)
            throw ModelConversionError(file: folder, "cannot be written: \(error.localizedDescription)")
        }
    }
}
