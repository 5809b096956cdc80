// `retort convert`: a model from one format into another — GGUF → Hugging Face folder, folder →
// GGUF, GGUF → GGUF at another type (requantizing). The output kind follows the output name: a
// path ending in .gguf is a GGUF file, anything else a folder. The model is loaded as float32 and
// written with the tokenizer and chat template of its source.
import Foundation
import RetortModels

public struct ConversionRequest: Sendable {
    /// A .gguf file, a Hugging Face folder, or a model alias.
    public var input: String
    /// A .gguf path, or a folder to create.
    public var output: String
    /// f32|f16|q8_0|q4_0 for GGUF (default f16); f32|f16|bf16 for a folder (default f32).
    public var type: String?
    /// Replace an existing output GGUF file (folders are never replaced unless empty).
    public var force = false
    public var modelsDirectory: String?

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }
}

public struct ConversionSummary: Sendable, CustomStringConvertible {
    public let input: String
    public let output: String
    /// "GGUF Q8_0", "Hugging Face folder (F32)".
    public let format: String
    public let layers: Int
    public let parameters: Int
    public let bytes: Int64

    public var description: String {
        let size = ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)
        return "wrote \(output) (\(format), \(layers) layers, \(parameters) parameters, \(size)) from \(input)"
    }
}

public struct ConversionError: Error, LocalizedError, Sendable {
    public let message: String
    public var errorDescription: String? { message }
}

public enum ModelConversion {
    public static func run(_ request: ConversionRequest) throws -> ConversionSummary {
        // The type first: a wrong one is reported before a model is loaded.
        let toGGUF = request.output.lowercased().hasSuffix(".gguf")
        var ggufType = GGUFExportType.f16, dtype = SafeTensorsDType.f32
        if toGGUF {
            let name = request.type ?? "f16"
            guard let type = GGUFExportType(name: name) else {
                throw ConversionError(message: "--type \(name) cannot be written to GGUF; choose one of \(GGUFExportType.names)")
            }
            ggufType = type
        } else {
            let name = request.type ?? "f32"
            guard let type = [SafeTensorsDType.f32, .f16, .bf16].first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw ConversionError(message: "--type \(name) cannot be written to a Hugging Face folder, which holds float weights: choose f32, f16 or bf16 (or name a .gguf output for \(GGUFExportType.names))")
            }
            dtype = type
        }
        let input = try ModelStore.resolve(request.input, directory: ModelStore.directory(explicit: request.modelsDirectory))
        let fm = FileManager.default
        if URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: request.output).standardizedFileURL {
            throw ConversionError(message: "\(request.output): the output is the input; write to another path")
        }
        if toGGUF, fm.fileExists(atPath: request.output), !request.force {
            throw ConversionError(message: "\(request.output): already exists; pass --force to replace it, or choose another name")
        }
        if !toGGUF, let contents = try? fm.contentsOfDirectory(atPath: request.output), !contents.isEmpty {
            throw ConversionError(message: "\(request.output): already exists and is not empty; remove it or choose another folder")
        }

        // The model and what describes its tokenizer.
        let model: LlamaModel
        let info: GGUFModelInfo
        var ggufMetadata: GGUFExportMetadata
        if HuggingFaceModelFolder.isModelFolder(input) {
            let folder = try HuggingFaceModelFolder(path: input)
            model = try folder.loadModel()
            info = folder.info
            ggufMetadata = try GGUFExportMetadata(info: info, name: URL(fileURLWithPath: input).lastPathComponent, source: input)
        } else {
            let file = try GGUFFile(path: input)
            info = try GGUFModelInfo(file)
            model = try LlamaModel(gguf: file)
            ggufMetadata = try GGUFExportMetadata(from: file)
        }

        let parameters = model.parameters.reduce(0) { $0 + $1.value.count }
        if toGGUF {
            if ggufMetadata.name == nil { ggufMetadata.name = URL(fileURLWithPath: request.output).deletingPathExtension().lastPathComponent }
            let summary = try model.writeGGUF(to: request.output, type: ggufType, metadata: ggufMetadata)
            return ConversionSummary(input: input, output: request.output, format: "GGUF \(ggufType)",
                                     layers: model.config.numHiddenLayers, parameters: parameters, bytes: Int64(summary.bytes))
        }
        let summary = try model.writeHuggingFaceFolder(to: request.output, dtype: dtype, tokenizerFrom: info)
        let bytes = summary.files.reduce(Int64(0)) { total, file in
            total + ((try? fm.attributesOfItem(atPath: request.output + "/" + file)[.size] as? NSNumber)?.int64Value ?? 0)
        }
        return ConversionSummary(input: input, output: request.output, format: "Hugging Face folder, \(summary.architecture), \(dtype.rawValue)",
                                 layers: model.config.numHiddenLayers, parameters: parameters, bytes: bytes)
    }
}
