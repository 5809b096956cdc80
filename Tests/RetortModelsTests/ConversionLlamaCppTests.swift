// Exported GGUF files run in llama.cpp itself (through the Python package llama-cpp-python, when it
// is importable; skipped with a printed note otherwise): a SmolLM2 layer-subset student (F32 and
// Q8_0) and a tiny Qwen2 model give llama.cpp the same greedy token at every position as Retort, and
// close logits; llama.cpp tokenizes the student's chat prompt as Retort does and reads its chat
// template.
import Foundation
@testable import RetortModels
import RetortJSON
import Testing

@Suite(.enabled(if: LlamaCpp.isAvailable, LlamaCpp.missingComment), .serialized)
struct ConversionLlamaCppTests {
    /// llama.cpp multiplies Q8_0 weights by activations it rounds to 8 bits as well, so its Q8_0
    /// logits move further from Retort's (which keep activations in float32) than its F32 ones.
    @Test(arguments: [(GGUFExportType.f32, Float(0.02)), (.q8_0, Float(0.05))])
    func aSmolLM2StudentRunsInLlamaCppAsInRetort(type: GGUFExportType, tolerance: Float) throws {
        let dir = try ConversionFixtures.scratch("llama-cpp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ConversionSmolLM2.with { teacher in
            let student = try LlamaModel.layerSubset(of: teacher.model, keep: [0, 7, 14, 21, 29])
            let path = dir + "/student.gguf"
            try student.writeGGUF(to: path, type: type, metadataFrom: teacher.file)
            let exported = try LlamaModel(gguf: GGUFFile(path: path))
            let ids = teacher.tokenizer.encode(ConversionSmolLM2.chatPrompt)
            let result = try LlamaCpp.evaluate(path, ids: ids, text: ConversionSmolLM2.chatPrompt)
            try compare(retort: ConversionFixtures.logits(exported, ids), llamaCpp: result, ids: ids, vocab: student.config.vocabSize,
                        tolerance: tolerance)
            #expect(result["tokens"] == .array(ids.map { .number(Double($0)) }), "llama.cpp tokenizes the chat prompt as Retort does")
            #expect(result["template"]?.stringValue == teacher.info.chatTemplate)
        }
    }

    /// Qwen2 keeps Hugging Face's q/k row order in GGUF (llama.cpp runs it with the NeoX RoPE).
    @Test func aQwen2ExportRunsInLlamaCppAsInRetort() throws {
        let dir = try ConversionFixtures.scratch("llama-cpp-qwen2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ConversionFixtures.model(modelType: "qwen2", bias: true, tied: true)
        let path = dir + "/qwen2.gguf"
        try model.writeGGUF(to: path, type: .f32, metadata: ConversionFixtures.metadata())
        let ids = ConversionFixtures.probeTokens
        let result = try LlamaCpp.evaluate(path, ids: ids, text: "hello world")
        try compare(retort: ConversionFixtures.logits(model, ids), llamaCpp: result, ids: ids, vocab: model.config.vocabSize)
    }

    /// Same greedy token at every position; last-position logits within `tolerance` of their range
    /// (llama.cpp keeps its KV cache in F16 and sums in another order).
    func compare(retort: [Float], llamaCpp result: JSONValue, ids: [Int32], vocab: Int, tolerance: Float = 0.02) throws {
        let T = ids.count
        let argmax = (0..<T).map { t in (0..<vocab).max { retort[t * vocab + $0] < retort[t * vocab + $1] }! }
        #expect(result["argmax"] == .array(argmax.map { .number(Double($0)) }))
        let last = try #require(result["last"]?.arrayValue).map { Float($0.doubleValue ?? .nan) }
        let mine = Array(retort[(T - 1) * vocab..<T * vocab])
        #expect(last.count == vocab)
        let range = mine.max()! - mine.min()!
        let worst = zip(mine, last).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= tolerance * range, "largest logit difference \(worst) over a range of \(range)")
    }
}

enum LlamaCpp {
    static let isAvailable = PythonCheck.canImport("llama_cpp")
    static let missingComment: Comment = {
        let message = "llama-cpp-python is not importable: the llama.cpp checks of exported GGUF files are skipped (pip install llama-cpp-python to run them)"
        if !isAvailable { print("note: " + message) }
        return Comment(rawValue: message)
    }()

    static let script = """
        import json, sys
        import numpy as np
        from llama_cpp import Llama
        path, ids, text = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
        llm = Llama(model_path=path, n_ctx=256, n_batch=256, logits_all=True, verbose=False, n_threads=2)
        llm.eval(ids)
        scores = np.array(llm.scores[:len(ids)], dtype=np.float64)
        print(json.dumps({
            "argmax": [int(i) for i in scores.argmax(axis=1)],
            "last": [float(x) for x in scores[-1]],
            "tokens": llm.tokenize(text.encode("utf-8"), add_bos=False, special=True),
            "template": llm.metadata.get("tokenizer.chat_template"),
        }))
        """

    /// llama.cpp's logits for `ids` and its tokenization of `text`, as JSON.
    static func evaluate(_ path: String, ids: [Int32], text: String) throws -> JSONValue {
        let result = try PythonCheck.run(["-c", script, path, "[" + ids.map(String.init).joined(separator: ",") + "]", text])
        guard result.status == 0 else {
            Issue.record("llama.cpp could not run \(path): \(result.stderr.suffix(2000))")
            return .null
        }
        return try JSONValue(parsing: result.stdout)
    }
}
