// The parts of a bundle on their own: ustar archives written and read back (long names, modes),
// malformed archives refused before anything is extracted, and the Modelfile's TEMPLATE derived
// from rendering the model's chat template (ChatML with or without a default system message; no
// TEMPLATE for a template that is not ChatML).
import Foundation
import RetortModels
@testable import RetortPipeline
import Testing

@Suite struct UstarArchiveTests {
    @Test func archivesRoundTripWithLongNamesAndFolders() throws {
        let dir = try BundleFixtures.scratch("ustar")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let long = String(repeating: "a", count: 90) + "/" + String(repeating: "b", count: 80) + ".txt"
        let files = ["manifest.json", "plugins/lib.so", long, "empty"]
        for (i, file) in files.enumerated() {
            try FileManager.default.createDirectory(atPath: (dir + "/src/" + file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(String(repeating: "\(i)", count: i == 3 ? 0 : 700 * (i + 1)).utf8).write(to: URL(fileURLWithPath: dir + "/src/" + file))
        }
        try UstarArchive.write(folder: dir + "/src", files: files, root: "top", to: dir + "/a.tar")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.tar"))
        #expect(data.count % 512 == 0)
        let members = try UstarArchive.members(of: data, file: "a.tar")
        #expect(members.filter { !$0.isFolder }.map(\.path) == files.map { "top/" + $0 })
        #expect(members.filter(\.isFolder).map(\.path) == ["top", "top/plugins", "top/" + String(repeating: "a", count: 90)])

        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        _ = try UstarArchive.extract(dir + "/a.tar", to: dir + "/out")
        for file in files {
            #expect(FileManager.default.contentsEqual(atPath: dir + "/src/" + file, andPath: dir + "/out/top/" + file), "\(file)")
        }
        // The same files make the same bytes.
        try UstarArchive.write(folder: dir + "/src", files: files, root: "top", to: dir + "/b.tar")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/b.tar")) == data)
    }

    @Test func malformedArchivesAreRefusedWithTheReason() throws {
        let dir = try BundleFixtures.scratch("ustar-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir + "/f"))
        try UstarArchive.write(folder: dir, files: ["f"], root: "top", to: dir + "/a.tar")
        let good = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.tar"))

        func problem(_ bytes: Data) -> String {
            do {
                _ = try UstarArchive.members(of: bytes, file: "x.tar")
                return "no error"
            } catch {
                return error.localizedDescription
            }
        }
        func header(_ name: String, type: UInt8 = UInt8(ascii: "0"), size: Int64 = 5) throws -> Data {
            var block = try UstarArchive.header(name: "top/f", size: size, mode: 0o644, type: type)
            // Rewrite the name and re-sum, as a hand-made archive would.
            for i in 0..<100 { block[i] = 0 }
            for (i, byte) in name.utf8.enumerated() { block[i] = byte }
            for i in 148..<156 { block[i] = UInt8(ascii: " ") }
            let sum = block.reduce(0) { $0 + Int($1) }
            let digits = Array(String(sum, radix: 8).utf8)
            for i in 0..<6 { block[148 + i] = i < 6 - digits.count ? UInt8(ascii: "0") : digits[i - (6 - digits.count)] }
            block[154] = 0
            return block
        }
        var damaged = good
        damaged[8] ^= 0xFF  // inside the first header's name
        #expect(problem(damaged).hasPrefix("x.tar: the header at byte 0 has checksum"))
        #expect(problem(good.prefix(612)) == "x.tar: ends inside a header block: it is truncated")
        #expect(problem(good.prefix(1026)) == "x.tar: member top/f needs 5 bytes but the archive ends first: it is truncated")
        #expect(problem(Data(repeating: 7, count: 1024)) == "x.tar: the header at byte 0 is not a ustar header; this is not a tar archive Retort wrote")
        #expect(problem(try header("../evil") + Data(count: 512)) == "x.tar: member \"../evil\" has an unsafe path (absolute, empty or with ..)")
        #expect(problem(try header("/etc/passwd") + Data(count: 512)).contains("unsafe path"))
        #expect(problem(try header("top/link", type: UInt8(ascii: "2"), size: 0)) == "x.tar: member top/link is of type '2'; bundles hold only files and folders")
        #expect(problem(Data()) == "x.tar: is empty or not a tar archive")
    }
}

@Suite struct OllamaModelfileTests {
    static func info(template: String) throws -> (GGUFModelInfo, BPETokenizer) {
        var info = try GGUFModelInfo(GGUFFile(path: BundleFixtures.smolLM2))
        info.chatTemplate = template
        return (info, try BPETokenizer(gguf: info.tokenizer))
    }

    @Test func smolLM2sTemplateIsChatMLWithADefaultSystemMessage() throws {
        guard FileManager.default.fileExists(atPath: BundleFixtures.smolLM2) else {
            Issue.record("SmolLM2 model missing at \(BundleFixtures.smolLM2): run `make setup` (or set RETORT_TEST_GGUF)")
            return
        }
        let info = try GGUFModelInfo(GGUFFile(path: BundleFixtures.smolLM2))
        let tokenizer = try BPETokenizer(gguf: info.tokenizer)
        let structure = OllamaModelfile.chatML(try ChatTemplate(source: info.chatTemplate!), info: info, tokenizer: tokenizer)
        #expect(structure?.defaultSystem == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")

        let plain = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
        let (plainInfo, plainTokenizer) = try Self.info(template: plain)
        #expect(OllamaModelfile.chatML(try ChatTemplate(source: plain), info: plainInfo, tokenizer: plainTokenizer) == .init(defaultSystem: nil))
        let text = OllamaModelfile.make(studentFile: "s.gguf", info: plainInfo, tokenizer: plainTokenizer, title: "My Run", license: "mit")
        #expect(text.contains("TEMPLATE \"\"\"{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n\"\"\""))
        #expect(text.contains("ollama create my-run -f Modelfile"))
        #expect(text.contains("LICENSE \"\"\"mit\"\"\""))

        let llama3 = "{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n{{ m.content }}<|eot_id|>{% endfor %}{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
        let (otherInfo, otherTokenizer) = try Self.info(template: llama3)
        #expect(OllamaModelfile.chatML(try ChatTemplate(source: llama3), info: otherInfo, tokenizer: otherTokenizer) == nil)
        let other = OllamaModelfile.make(studentFile: "s.gguf", info: otherInfo, tokenizer: otherTokenizer, title: "x", license: nil)
        #expect(!other.contains("TEMPLATE \"\"\""))
        #expect(other.contains("# No TEMPLATE: the model's chat template is not ChatML"))
        #expect(OllamaModelfile.goTemplate(defaultSystem: "Use {{braces}}")?.contains("Use {{ \"{{\" }}braces}}") == true)
    }
}
