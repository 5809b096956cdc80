// `retort convert`, run as a process on the embedded SmolLM2: GGUF → Hugging Face folder → GGUF,
// each printing what it wrote; bad input is one error line naming the file and
// the problem, with exit code 2, and never overwrites what exists.
import Foundation
import RetortJSON
import Testing

enum CLIModelFixture {
    /// The embedded SmolLM2 GGUF; missing, the test fails and says how to get it.
    static func smolLM2() throws -> String {
        let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: path) else {
            throw Missing(description: "SmolLM2 model missing at \(path): run `make setup` (or set RETORT_TEST_GGUF)")
        }
        return path
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func scratch(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "retort-cli-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

@Suite(.serialized) struct ConvertCommandTests {
    @Test func aModelTravelsFromGGUFToAFolderAndBack() throws {
        let model = try CLIModelFixture.smolLM2()
        let dir = try CLIModelFixture.scratch("convert")
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let toFolder = try RetortCommand.run(["convert", model, dir + "/hf", "--type", "f16"])
        #expect(toFolder.status == 0, "\(toFolder.stderr)")
        #expect(toFolder.stdout.hasPrefix("wrote \(dir)/hf (Hugging Face folder, LlamaForCausalLM, F16, 30 layers, 134515008 parameters, "))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/hf").sorted()
        #expect(files == ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"])
        let config = try JSONValue(parsing: String(contentsOfFile: dir + "/hf/config.json", encoding: .utf8))
        #expect(config["num_hidden_layers"] == 30)
        #expect(config["torch_dtype"] == "float16")

        let toGGUF = try RetortCommand.run(["convert", dir + "/hf", dir + "/back.gguf", "--type", "q8_0"])
        #expect(toGGUF.status == 0, "\(toGGUF.stderr)")
        #expect(toGGUF.stdout.hasPrefix("wrote \(dir)/back.gguf (GGUF Q8_0, 30 layers, 134515008 parameters, "))

        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["back.gguf", "hf"], "no temporary file or folder is left")
        // GGUF → GGUF requantization runs in BundleCommandTests, which makes its student that way.
    }

    @Test func badInputIsOneErrorLineNamingTheFile() throws {
        let model = try CLIModelFixture.smolLM2()
        let dir = try CLIModelFixture.scratch("convert-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func failure(_ arguments: [String]) throws -> String {
            let result = try RetortCommand.run(["convert"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stdout)")
            #expect(result.stdout.isEmpty)
            return result.stderr
        }
        #expect(try failure([model, dir + "/x.gguf", "--type", "q5_k"])
            == "error: --type q5_k cannot be written to GGUF; choose one of f32, f16, q8_0, q4_0\n")
        #expect(try failure([model, dir + "/folder", "--type", "q8_0"]).hasPrefix(
            "error: --type q8_0 cannot be written to a Hugging Face folder, which holds float weights: choose f32, f16 or bf16"))
        #expect(try failure([dir + "/nope.gguf", dir + "/x.gguf"]).hasPrefix("error: no model named \(dir)/nope.gguf: "))

        try Data("not a model at all".utf8).write(to: URL(fileURLWithPath: dir + "/garbage.gguf"))
        #expect(try failure([dir + "/garbage.gguf", dir + "/x.gguf"])
            == "error: GGUF \(dir)/garbage.gguf: magic: expected \"GGUF\", found bytes 6e 6f 74 20\n")

        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        #expect(try failure([dir + "/empty", dir + "/x.gguf"])
            == "error: \(dir)/empty is a folder without config.json; a Hugging Face model folder holds config.json, model.safetensors and tokenizer.json\n")

        #expect(try failure([dir + "/garbage.gguf", dir + "/garbage.gguf"]).contains("the output is the input"))
        #expect(try failure([model, dir + "/garbage.gguf"])
            == "error: \(dir)/garbage.gguf: already exists; pass --force to replace it, or choose another name\n")
        #expect(try String(contentsOfFile: dir + "/garbage.gguf", encoding: .utf8) == "not a model at all")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: dir + "/empty/notes.txt"))
        #expect(try failure([model, dir + "/empty"])
            == "error: \(dir)/empty: already exists and is not empty; remove it or choose another folder\n")
    }
}
