// Loading LLaMA-family weights from GGUF: name mapping and the q/k row permutation, and
// SmolLM2-135M-Instruct's logits against an independent numpy reference (Fixtures/
// make_smollm2_logits.py computes them on the GGUF tensors with GGML's own RoPE layout).
import Foundation
@testable import RetortModels
import RetortJSON
import Testing

@Suite struct LlamaTensorNameTests {
    @Test func namesMapBothWays() {
        let pairs = [("model.embed_tokens.weight", "token_embd.weight"), ("lm_head.weight", "output.weight"),
                     ("model.layers.12.self_attn.k_proj.weight", "blk.12.attn_k.weight"),
                     ("model.layers.0.mlp.down_proj.weight", "blk.0.ffn_down.weight"),
                     ("model.layers.3.post_attention_layernorm.weight", "blk.3.ffn_norm.weight")]
        for (hf, gguf) in pairs {
            #expect(LlamaTensorNames.gguf(fromHF: hf) == gguf)
            #expect(LlamaTensorNames.hf(fromGGUF: gguf) == hf)
        }
        #expect(LlamaTensorNames.hf(fromGGUF: "blk.x.attn_q.weight") == nil)
        #expect(LlamaTensorNames.gguf(fromHF: "model.layers.0.self_attn.rotary_emb.inv_freq") == nil)
    }

    @Test func qkPermutationInterleavesHalvesPerHeadAndInverts() {
        // Two heads of head dim 4, one column: HF rows [a0 a1 b0 b1] per head → GGUF [a0 b0 a1 b1].
        let hf: [Float] = [0, 1, 2, 3, 10, 11, 12, 13]
        let gguf = LlamaTensorNames.permuteHFToGGUF(hf, heads: 2, rows: 8, columns: 1)
        #expect(gguf == [0, 2, 1, 3, 10, 12, 11, 13])
        #expect(LlamaTensorNames.permuteGGUFToHF(gguf, heads: 2, rows: 8, columns: 1) == hf)
        let wide: [Float] = (0..<48).map(Float.init)
        #expect(LlamaTensorNames.permuteGGUFToHF(LlamaTensorNames.permuteHFToGGUF(wide, heads: 3, rows: 12, columns: 4),
                                                 heads: 3, rows: 12, columns: 4) == wide)
    }
}

@Suite(.enabled(if: GGUFTestModel.path != nil, GGUFTestModel.missingComment))
struct SmolLM2LogitsTests {
    @Test func logitsMatchTheNumpyReference() throws {
        let fixture = try JSONValue(parsing: String(
            contentsOf: GGUFFixtures.folder.appendingPathComponent("smollm2_logits.json"), encoding: .utf8))
        let expectedIDs = try #require(fixture["ids"]?.arrayValue).compactMap { $0.doubleValue.map { Int32($0) } }

        let file = try GGUFFile(path: try #require(GGUFTestModel.path))
        let tokenizer = try BPETokenizer(gguf: GGUFModelInfo(file).tokenizer)
        let prompt = "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
        let ids = tokenizer.encode(prompt)
        #expect(ids == expectedIDs)

        let model = try LlamaModel(gguf: file)
        #expect(model.config.numHiddenLayers == 30)
        #expect(model.config.tieWordEmbeddings)
        let output = try model.forward(tokens: ids, B: 1, T: ids.count)
        let logits = output.logits.toArray()
        let V = model.config.vocabSize

        // Greedy choice at every position equals the reference.
        let argmax = (0..<ids.count).map { t in
            Int((0..<V).max { logits[t * V + $0] < logits[t * V + $1] }!)
        }
        #expect(argmax == fixture["argmax_per_position"]?.arrayValue?.compactMap { $0.doubleValue.map(Int.init) })

        // Top-20 logits of the last position within 2e-3 relative (float32 vs the float64 reference).
        let last = ids.count - 1
        let topIDs = try #require(fixture["top20_ids"]?.arrayValue).compactMap(\.doubleValue)
        let topLogits = try #require(fixture["top20_logits"]?.arrayValue).compactMap(\.doubleValue)
        for (id, expected) in zip(topIDs, topLogits) {
            let actual = Double(logits[last * V + Int(id)])
            #expect(abs(actual - expected) <= 2e-3 * abs(expected), "token \(Int(id)): \(actual) vs \(expected)")
        }
    }
}
