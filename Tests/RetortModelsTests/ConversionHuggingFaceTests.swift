// Hugging Face folders: a model exported as model.safetensors + config.json + tokenizer.json +
// tokenizer_config.json loads back with the same logits, the same tokenization and the same chat
// template as the GGUF it came from (SmolLM2), converts back to GGUF, and malformed folders are
// errors that name the file and the problem.
import Foundation
@testable import RetortModels
import RetortJSON
import Testing

@Suite struct ConversionHuggingFaceTests {
    @Test func smolLM2AsAFolderComputesAndTokenizesAsItsGGUF() throws {
        let dir = try ConversionFixtures.scratch("smollm2-hf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ConversionSmolLM2.with { source in
            let summary = try source.model.writeHuggingFaceFolder(to: dir + "/hf", dtype: .f32, tokenizerFrom: source.info)
            #expect(summary.files == ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"])
            #expect(summary.architecture == "LlamaForCausalLM")

            let folder = try HuggingFaceModelFolder(path: dir + "/hf")
            var expected = source.model.config
            expected.headDim = 64  // config.json states the head size
            #expect(folder.config == expected)
            let ids = source.tokenizer.encode(ConversionSmolLM2.chatPrompt)
            #expect(folder.tokenizer.encode(ConversionSmolLM2.chatPrompt) == ids)
            let loaded = try folder.loadModel()
            #expect(try ConversionFixtures.logits(loaded, ids) == ConversionFixtures.logits(source.model, ids))

            // As a generating model: the same prompt from the same chat template, the same answer.
            let fromFolder = try LocalLanguageModel(model: loaded, info: folder.info, tokenizer: folder.tokenizer)
            let fromGGUF = try LocalLanguageModel(model: source.model, info: source.info, tokenizer: source.tokenizer)
            let question: [JSONValue] = [["role": "user", "content": "What is the capital of France?"]]
            #expect(try fromFolder.chatPrompt(question) == fromGGUF.chatPrompt(question))
            var sampling = SamplingParameters()
            sampling.temperature = 0
            let answer = try fromFolder.generate(prompt: try fromFolder.chatPrompt(question), maxTokens: 12, sampling: sampling)
            #expect(answer.text == (try fromGGUF.generate(prompt: try fromGGUF.chatPrompt(question), maxTokens: 12, sampling: sampling)).text)
            #expect(answer.text.contains("Paris"))

            // The tokenizer, read from tokenizer.json, against the GGUF's on the reference corpus.
            let corpus = try TokenizerFixtures.lines("tokenizer_expected.jsonl", as: TokenizerFixtures.Expected.self)
            let differing = corpus.filter { folder.tokenizer.encode($0.text) != $0.ids }.map(\.text)
            #expect(differing.isEmpty, "\(differing.count) corpus strings tokenize differently, e.g. \(differing.prefix(3))")
            #expect(folder.tokenizer.addedTokens.count == source.tokenizer.addedTokens.count)
            #expect(folder.tokenizer.addBOS == source.tokenizer.addBOS)

            // What generation reads: chat template, special tokens, context length.
            #expect(folder.info.chatTemplate == source.info.chatTemplate)
            #expect(folder.info.tokenizer.bosTokenID == source.info.tokenizer.bosTokenID)
            #expect(folder.info.tokenizer.eosTokenID == source.info.tokenizer.eosTokenID)
            #expect(folder.info.tokenizer.tokens == source.info.tokenizer.tokens)
            #expect(folder.info.tokenizer.merges == source.info.tokenizer.merges)
            #expect(folder.info.tokenizer.pre == "smollm")
            #expect(folder.info.contextLength == source.info.contextLength)

            let config = try JSONValue(parsing: String(contentsOfFile: dir + "/hf/config.json", encoding: .utf8))
            #expect(config["architectures"] == ["LlamaForCausalLM"])
            #expect(config["rms_norm_eps"] == .number(1e-5))
            #expect(config["rope_theta"] == 100_000)
            #expect(config["torch_dtype"] == "float32")
            let settings = try JSONValue(parsing: String(contentsOfFile: dir + "/hf/tokenizer_config.json", encoding: .utf8))
            #expect(settings["eos_token"] == "<|im_end|>")
            #expect(settings["bos_token"] == "<|im_start|>")
            #expect(settings["chat_template"]?.stringValue == source.info.chatTemplate)
        }
    }

    @Test func everyFamilyRoundTripsThroughAFolderAndBackToGGUF() throws {
        let dir = try ConversionFixtures.scratch("families")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let metadata = ConversionFixtures.metadata()
        let sourcePath = dir + "/source.gguf"
        for (family, bias, className) in [("llama", false, "LlamaForCausalLM"), ("mistral", false, "MistralForCausalLM"),
                                          ("qwen2", true, "Qwen2ForCausalLM")] {
            let model = try ConversionFixtures.model(modelType: family, bias: bias, tied: family == "qwen2")
            try model.writeGGUF(to: sourcePath, type: .f32, metadata: metadata)
            let info = try GGUFModelInfo(GGUFFile(path: sourcePath))
            let folderPath = dir + "/\(family)"
            try model.writeHuggingFaceFolder(to: folderPath, tokenizerFrom: info)
            let config = try JSONValue(parsing: String(contentsOfFile: folderPath + "/config.json", encoding: .utf8))
            #expect(config["architectures"] == .array([.string(className)]))
            #expect(config["model_type"] == .string(family))

            let folder = try HuggingFaceModelFolder(path: folderPath)
            let loaded = try folder.loadModel()
            #expect(loaded.config.modelType == family)
            // What `--model <folder>` loads.
            let local = try LocalLanguageModel(modelPath: folderPath)
            #expect(local.chatTemplate?.source == ConversionFixtures.chatTemplate)
            #expect(local.stopTokens == [2])
            #expect(try BPETokenizer(modelPath: folderPath).encode("hello world") == BPETokenizer(modelPath: sourcePath).encode("hello world"))
            #expect(try ConversionFixtures.logits(loaded) == ConversionFixtures.logits(model), "\(family)")

            // Back to GGUF from the folder's own description of its tokenizer.
            let back = dir + "/\(family)-back.gguf"
            try loaded.writeGGUF(to: back, type: .f32, metadata: GGUFExportMetadata(info: folder.info, name: family, source: folderPath))
            let file = try GGUFFile(path: back)
            let backInfo = try GGUFModelInfo(file)
            #expect(backInfo.tokenizer.tokens == info.tokenizer.tokens)
            #expect(backInfo.tokenizer.tokenTypes == info.tokenizer.tokenTypes)
            #expect(backInfo.tokenizer.merges == info.tokenizer.merges)
            #expect(backInfo.tokenizer.pre == "smollm")
            #expect(backInfo.tokenizer.bosTokenID == 1 && backInfo.tokenizer.eosTokenID == 2)
            #expect(backInfo.chatTemplate == ConversionFixtures.chatTemplate)
            #expect(try ConversionFixtures.logits(LlamaModel(gguf: file)) == ConversionFixtures.logits(model), "\(family) back to GGUF")
        }
    }

    @Test func tokenizerJSONCarriesEachFamilysPreTokenizer() throws {
        let dir = try ConversionFixtures.scratch("pre")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var t = try GGUFModelInfo(GGUFFile(path: writeTinyGGUF(in: dir))).tokenizer
        for (pre, expected) in [("smollm", PreTokenizer.smollm), ("gpt2", .gpt2), ("llama-bpe", .llama3), ("qwen2", .qwen2)] {
            t.pre = pre
            let text = try HuggingFaceTokenizerFiles.tokenizerJSON(t, file: "test").text()
            let tokenizer = try BPETokenizer(tokenizerJSON: text)
            #expect(tokenizer.preTokenizer == expected, "\(pre)")
            #expect(tokenizer.ignoreMerges == (pre == "llama-bpe"))
            #expect(HuggingFaceModelFolder.ggufPreName(tokenizer.preTokenizer) == pre)
            #expect(tokenizer.encode("hello world 123") == (try BPETokenizer(gguf: t)).encode("hello world 123"))
        }
        t.addBOSToken = true
        let withBOS = try BPETokenizer(tokenizerJSON: HuggingFaceTokenizerFiles.tokenizerJSON(t, file: "test").text())
        #expect(withBOS.encode("hello", addSpecial: true) == [1, 262])
        t.pre = "falcon"
        #expect(throws: ModelConversionError.self) { try HuggingFaceTokenizerFiles.tokenizerJSON(t, file: "test") }
    }

    /// The `tokenizers` library (the reference implementation) reads the tokenizer.json written for
    /// SmolLM2 and encodes the reference corpus to the same ids.
    @Test(.enabled(if: PythonCheck.canImport("tokenizers"), "Python package tokenizers is not importable; pip install tokenizers to run this test"))
    func huggingFaceTokenizersReadsTheWrittenTokenizerJSON() throws {
        let dir = try ConversionFixtures.scratch("tokenizers")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try ConversionSmolLM2.with { try HuggingFaceTokenizerFiles.tokenizerJSON($0.info.tokenizer, file: dir).text() }
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/tokenizer.json"))
        let script = """
            import json, sys
            from tokenizers import Tokenizer
            tok = Tokenizer.from_file(sys.argv[1])
            bad = 0
            for line in open(sys.argv[2], encoding="utf-8"):
                row = json.loads(line)
                if tok.encode(row["text"], add_special_tokens=False).ids != row["ids"]:
                    bad += 1
            print(bad)
            """
        let result = try PythonCheck.run(["-c", script, dir + "/tokenizer.json",
                                          TokenizerFixtures.directory.appendingPathComponent("tokenizer_expected.jsonl").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func malformedFoldersNameTheFileAndTheProblem() throws {
        let dir = try ConversionFixtures.scratch("malformed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = dir + "/good"
        let info = try GGUFModelInfo(GGUFFile(path: writeTinyGGUF(in: dir)))
        try ConversionFixtures.model().writeHuggingFaceFolder(to: good, tokenizerFrom: info)

        func problem(_ mutate: (String) throws -> Void) throws -> String {
            let copy = dir + "/case-\(UUID().uuidString)"
            try FileManager.default.copyItem(atPath: good, toPath: copy)
            try mutate(copy)
            do {
                _ = try HuggingFaceModelFolder(path: copy).loadModel()
                return "no error"
            } catch {
                return error.localizedDescription.replacingOccurrences(of: copy, with: "<folder>")
            }
        }
        func write(_ text: String, _ path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }

        #expect(try problem { try FileManager.default.removeItem(atPath: $0 + "/config.json") }.hasPrefix("<folder>: has no config.json"))
        #expect(try problem { try write("{\"hidden_size\": ", $0 + "/config.json") }.hasPrefix("<folder>/config.json: is not valid JSON"))
        #expect(try problem { try write("{\"architectures\": [\"GPT2LMHeadModel\"]}", $0 + "/config.json") }
            == "<folder>/config.json: architecture GPT2LMHeadModel is not supported; LlamaForCausalLM, MistralForCausalLM and Qwen2ForCausalLM are")
        #expect(try problem { path in
            let text = try String(contentsOfFile: path + "/config.json", encoding: .utf8)
            try write(text.replacingOccurrences(of: "\"num_hidden_layers\": 2", with: "\"num_hidden_layers\": 3"), path + "/config.json")
        } == "<folder>: the weights have no tensor model.layers.2.input_layernorm.weight")
        #expect(try problem { path in
            let text = try String(contentsOfFile: path + "/config.json", encoding: .utf8)
            try write(text.replacingOccurrences(of: "\"intermediate_size\": 128", with: "\"intermediate_size\": 96"), path + "/config.json")
        }.contains("tensor model.layers.0.mlp.gate_proj.weight has shape [128, 64], but config.json implies [96, 64]"))
        #expect(try problem { try FileManager.default.removeItem(atPath: $0 + "/model.safetensors") }
            .hasPrefix("<folder>: has no model.safetensors"))
        #expect(try problem { try write("not safetensors", $0 + "/model.safetensors") }.hasPrefix("<folder>/model.safetensors: "))
        #expect(try problem { try FileManager.default.removeItem(atPath: $0 + "/tokenizer.json") }.hasPrefix("<folder>: has no tokenizer.json"))
        #expect(try problem { try write("{\"model\": {\"type\": \"Unigram\"}}", $0 + "/tokenizer.json") }
            .hasPrefix("<folder>/tokenizer.json: "))
        #expect(try problem { try write("{\"eos_token\": \"<nope>\"}", $0 + "/tokenizer_config.json") }
            == "<folder>/tokenizer_config.json: eos_token \"<nope>\" is not in tokenizer.json's vocabulary")
        #expect(try problem { path in
            try FileManager.default.moveItem(atPath: path + "/model.safetensors", toPath: path + "/model-00001-of-00002.safetensors")
            try write("{\"weight_map\": {\"lm_head.weight\": \"model-00002-of-00002.safetensors\"}}", path + "/model.safetensors.index.json")
        } == "<folder>/model.safetensors.index.json: names shard model-00002-of-00002.safetensors, which is not in the folder")

        // Sharded weights load when every shard is there.
        #expect(try problem { path in
            try FileManager.default.moveItem(atPath: path + "/model.safetensors", toPath: path + "/model-00001-of-00001.safetensors")
            let names = try SafeTensorsFile(path: path + "/model-00001-of-00001.safetensors").tensors.map(\.name)
            let map = JSONValue.object(Dictionary(uniqueKeysWithValues: names.map { ($0, .string("model-00001-of-00001.safetensors")) }))
            try write(JSONValue.object(["weight_map": map]).jsonText, path + "/model.safetensors.index.json")
        } == "no error")

        // An existing folder with files in it is never overwritten.
        #expect {
            try ConversionFixtures.model().writeHuggingFaceFolder(to: good, tokenizerFrom: info)
        } throws: { error in
            error.localizedDescription == "\(good): already exists and is not empty; remove it or choose another folder"
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.hasPrefix(".") }, "no staging folder is left")
    }

    /// A tiny GGUF with the test tokenizer; its path.
    func writeTinyGGUF(in dir: String) throws -> String {
        let path = dir + "/tiny-\(UUID().uuidString).gguf"
        try ConversionFixtures.model().writeGGUF(to: path, type: .f32, metadata: ConversionFixtures.metadata())
        return path
    }
}
