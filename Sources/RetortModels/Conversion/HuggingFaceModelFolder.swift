// Reading a Hugging Face model folder (LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM):
// config.json, the weights (model.safetensors, or shards named by model.safetensors.index.json),
// tokenizer.json and tokenizer_config.json (special tokens, chat template; or chat_template.jinja).
// The tokenizer is described as GGUF metadata would describe it, so the rest of Retort (generation,
// chat templates, GGUF export) treats a folder and a GGUF file alike.
import Foundation
import RetortJSON

public struct HuggingFaceModelFolder: Sendable {
    public let path: String
    public let config: LlamaConfig
    /// The model as GGUF metadata would describe it: hyper-parameters, tokenizer, chat template.
    public let info: GGUFModelInfo
    public let tokenizer: BPETokenizer
    /// The safetensors files holding the weights, and which one holds each tensor.
    let weightFiles: [String]
    let weightMap: [String: String]

    /// Whether `path` is a folder holding a config.json (so it names a Hugging Face model).
    public static func isModelFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.fileExists(atPath: path + "/config.json")
    }

    /// Reads everything but the weights, checking that they are there.
    public init(path: String) throws {
        self.path = path
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelConversionError(file: path, "is not a folder; a Hugging Face model is a folder with config.json, model.safetensors and tokenizer.json")
        }
        let configPath = path + "/config.json"
        guard fm.fileExists(atPath: configPath) else {
            throw ModelConversionError(file: path, "has no config.json; a Hugging Face model folder needs config.json, model.safetensors and tokenizer.json")
        }
        let configJSON = try Self.readJSON(configPath)
        if let architectures = configJSON["architectures"]?.arrayValue?.compactMap(\.stringValue),
           let unsupported = architectures.first(where: { name in !LlamaFamily.allCases.contains { $0.huggingFaceClass == name } }) {
            throw ModelConversionError(file: configPath, "architecture \(unsupported) is not supported; LlamaForCausalLM, MistralForCausalLM and Qwen2ForCausalLM are")
        }
        do {
            config = try LlamaConfig(configJSON: configPath)
        } catch let error as ModelError {
            throw ModelConversionError(file: configPath, error.localizedDescription)
        }
        let family = try LlamaFamily(modelType: config.modelType, file: configPath)
        let weights = try Self.locateWeights(path)
        weightFiles = weights.files
        weightMap = weights.map

        let tokenizerPath = path + "/tokenizer.json"
        guard fm.fileExists(atPath: tokenizerPath) else {
            throw ModelConversionError(file: path, "has no tokenizer.json (only byte-level BPE tokenizers in the `tokenizers` format are supported)")
        }
        let tokenizerText: String
        do {
            tokenizerText = try String(contentsOfFile: tokenizerPath, encoding: .utf8)
        } catch {
            throw ModelConversionError(file: tokenizerPath, "cannot be read: \(error.localizedDescription)")
        }
        var tokenizer: BPETokenizer
        do {
            tokenizer = try BPETokenizer(tokenizerJSON: tokenizerText)
        } catch {
            throw ModelConversionError(file: tokenizerPath, error.localizedDescription)
        }
        let tokenizerJSON = try Self.parseJSON(tokenizerText, file: tokenizerPath)
        let settings = try HuggingFaceTokenizerSettings(folder: path, config: configJSON, tokenizer: tokenizer)
        if let bos = settings.bosTokenID { tokenizer.bosID = Int32(bos) }
        if let eos = settings.eosTokenID { tokenizer.eosID = Int32(eos) }
        if let pad = settings.paddingTokenID { tokenizer.padID = Int32(pad) }
        if let add = settings.addBOSToken { tokenizer.addBOS = add && tokenizer.bosID != nil }
        if let add = settings.addEOSToken { tokenizer.addEOS = add && tokenizer.eosID != nil }
        self.tokenizer = tokenizer

        let specialIDs = Set(tokenizer.addedTokens.filter(\.special).map(\.id))
        let userIDs = Set(tokenizer.addedTokens.filter { !$0.special }.map(\.id))
        let types: [Int32] = tokenizer.tokens.indices.map { id in
            specialIDs.contains(Int32(id)) ? BPETokenizer.TokenType.control.rawValue
                : userIDs.contains(Int32(id)) ? BPETokenizer.TokenType.userDefined.rawValue : BPETokenizer.TokenType.normal.rawValue
        }
        // A SentencePiece-style (byte_fallback) tokenizer is "llama" to llama.cpp; without piece
        // scores it cannot be exported yet, and the exporters say so instead of writing byte-level BPE.
        let description = GGUFModelInfo.Tokenizer(
            model: tokenizer.sentencePiece == nil ? "gpt2" : "llama", pre: Self.ggufPreName(tokenizer.preTokenizer), tokens: tokenizer.tokens, tokenTypes: types,
            merges: try Self.merges(tokenizerJSON, file: tokenizerPath),
            bosTokenID: tokenizer.bosID.map(Int.init), eosTokenID: tokenizer.eosID.map(Int.init),
            paddingTokenID: tokenizer.padID.map(Int.init), unknownTokenID: nil,
            addBOSToken: tokenizer.addBOS, addEOSToken: tokenizer.addEOS)
        info = GGUFModelInfo(huggingFace: config, architecture: family.rawValue,
                             tokenizer: description, chatTemplate: settings.chatTemplate)
    }

    /// A model with the folder's configuration and weights.
    public func loadModel() throws -> LlamaModel {
        let model = try LlamaModel(zeroedFor: config)
        var opened: [String: SafeTensorsFile] = [:]
        func file(_ name: String) throws -> SafeTensorsFile {
            if let file = opened[name] { return file }
            do {
                let file = try SafeTensorsFile(path: path + "/" + name)
                opened[name] = file
                return file
            } catch {
                throw ModelConversionError(file: path + "/" + name, error.message)
            }
        }
        // LLaMA's attention_bias also biases o_proj, which this kernel has no bias for: refuse rather
        // than silently compute without it.
        for name in weightFiles {
            if let tensor = try file(name).tensors.first(where: { $0.name.hasSuffix("o_proj.bias") }) {
                throw ModelConversionError(file: path + "/" + name, "holds \(tensor.name); output-projection biases are not supported")
            }
        }
        for parameter in model.parameters {
            guard let fileName = weightMap[parameter.name] else {
                throw ModelConversionError(file: path, "the weights have no tensor \(parameter.name)")
            }
            let weights = try file(fileName)
            do {
                let info = try weights.info(parameter.name)
                guard info.shape == parameter.value.shape else {
                    throw ModelConversionError(
                        file: weights.source, "tensor \(parameter.name) has shape \(info.shape), but config.json implies \(parameter.value.shape)")
                }
                try parameter.assign(try weights.floats(parameter.name))
            } catch let error as SafeTensorsError {
                throw ModelConversionError(file: weights.source, "tensor \(parameter.name): \(error.message)")
            }
        }
        return model
    }

    // MARK: Reading

    static func readJSON(_ path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelConversionError(file: path, "cannot be read")
        }
        return try parseJSON(String(decoding: data, as: UTF8.self), file: path)
    }

    static func parseJSON(_ text: String, file: String) throws -> JSONValue {
        do {
            let value = try JSONValue(parsing: text)
            guard value.objectValue != nil else { throw ModelConversionError(file: file, "is not a JSON object") }
            return value
        } catch let error as JSONTextError {
            throw ModelConversionError(file: file, "is not valid JSON: \(error.message)")
        }
    }

    /// model.safetensors, or the shards model.safetensors.index.json maps each tensor to.
    static func locateWeights(_ folder: String) throws -> (files: [String], map: [String: String]) {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder + "/model.safetensors") {
            let file: SafeTensorsFile
            do {
                file = try SafeTensorsFile(path: folder + "/model.safetensors")
            } catch {
                throw ModelConversionError(file: folder + "/model.safetensors", error.message)
            }
            return (["model.safetensors"], Dictionary(file.tensors.map { ($0.name, "model.safetensors") }, uniquingKeysWith: { a, _ in a }))
        }
        let indexPath = folder + "/model.safetensors.index.json"
        guard fm.fileExists(atPath: indexPath) else {
            throw ModelConversionError(file: folder, "has no model.safetensors (nor model.safetensors.index.json for a sharded checkpoint)")
        }
        guard let map = try readJSON(indexPath)["weight_map"]?.objectValue else {
            throw ModelConversionError(file: indexPath, "has no weight_map object")
        }
        var weightMap: [String: String] = [:]
        for (tensor, value) in map {
            guard let name = value.stringValue, !name.contains("/"), !name.hasPrefix(".") else {
                throw ModelConversionError(file: indexPath, "weight_map[\"\(tensor)\"] must name a file in the folder, found \(value.jsonText)")
            }
            guard fm.fileExists(atPath: folder + "/" + name) else {
                throw ModelConversionError(file: indexPath, "names shard \(name), which is not in the folder")
            }
            weightMap[tensor] = name
        }
        return (Array(Set(weightMap.values)).sorted(), weightMap)
    }

    /// tokenizer.json's merges as "left right" strings (the GGUF form), from either spelling.
    static func merges(_ tokenizer: JSONValue, file: String) throws -> [String] {
        try (tokenizer["model"]?["merges"]?.arrayValue ?? []).enumerated().map { index, value in
            if let s = value.stringValue { return s }
            if let pair = value.arrayValue, pair.count == 2, let l = pair[0].stringValue, let r = pair[1].stringValue {
                guard !l.contains(" "), !r.contains(" ") else {
                    throw ModelConversionError(file: file, "merge \(index) \(value.jsonText) has a space inside a token, which GGUF's \"left right\" merges cannot hold")
                }
                return l + " " + r
            }
            throw ModelConversionError(file: file, "merge \(index) is \(value.jsonText), expected \"a b\" or [\"a\", \"b\"]")
        }
    }

    /// The llama.cpp pre-tokenizer name (`tokenizer.ggml.pre`) that splits as `pre` does, if any.
    static func ggufPreName(_ pre: PreTokenizer) -> String? {
        switch pre {
        case .smollm: "smollm"
        case .gpt2: "gpt2"
        case .llama3: "llama-bpe"
        case .qwen2: "qwen2"
        default: nil
        }
    }
}

extension GGUFModelInfo {
    /// The description of a Hugging Face model: hyper-parameters from its config, the tokenizer and
    /// chat template as read from its tokenizer files.
    init(huggingFace config: LlamaConfig, architecture: String, tokenizer: Tokenizer, chatTemplate: String?) {
        self.architecture = architecture
        contextLength = config.maxPositionEmbeddings
        embeddingLength = config.hiddenSize
        blockCount = config.numHiddenLayers
        feedForwardLength = config.intermediateSize
        headCount = config.numAttentionHeads
        headCountKV = config.numKeyValueHeads
        ropeFreqBase = config.ropeTheta
        rmsNormEpsilon = config.rmsNormEps
        vocabSize = config.vocabSize
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
    }
}
