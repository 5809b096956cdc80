// The two naming conventions of LLaMA-family weights: Hugging Face ("model.layers.3.self_attn.
// q_proj.weight") and GGUF/llama.cpp ("blk.3.attn_q.weight"), and llama.cpp's reordering of the
// query and key rows, which its converter applies so GGML's RoPE can rotate adjacent pairs.

public enum LlamaTensorNames {
    /// HF name → GGUF name, or nil for a name that has no GGUF counterpart.
    public static func gguf(fromHF name: String) -> String? {
        switch name {
        case "model.embed_tokens.weight": return "token_embd.weight"
        case "model.norm.weight": return "output_norm.weight"
        case "lm_head.weight": return "output.weight"
        default: break
        }
        let parts = name.split(separator: ".")
        guard parts.count >= 5, parts[0] == "model", parts[1] == "layers", let layer = Int(parts[2]) else { return nil }
        let rest = parts[3...].joined(separator: ".")
        guard let suffix = layerSuffixes.first(where: { $0.hf == rest })?.gguf else { return nil }
        return "blk.\(layer).\(suffix)"
    }

    /// GGUF name → HF name, or nil for a name that has no HF counterpart.
    public static func hf(fromGGUF name: String) -> String? {
        switch name {
        case "token_embd.weight": return "model.embed_tokens.weight"
        case "output_norm.weight": return "model.norm.weight"
        case "output.weight": return "lm_head.weight"
        default: break
        }
        let parts = name.split(separator: ".", maxSplits: 2)
        guard parts.count == 3, parts[0] == "blk", let layer = Int(parts[1]) else { return nil }
        guard let suffix = layerSuffixes.first(where: { $0.gguf == parts[2] })?.hf else { return nil }
        return "model.layers.\(layer).\(suffix)"
    }

    static let layerSuffixes: [(hf: String, gguf: String)] = [
        ("input_layernorm.weight", "attn_norm.weight"),
        ("self_attn.q_proj.weight", "attn_q.weight"),
        ("self_attn.k_proj.weight", "attn_k.weight"),
        ("self_attn.v_proj.weight", "attn_v.weight"),
        ("self_attn.o_proj.weight", "attn_output.weight"),
        ("self_attn.q_proj.bias", "attn_q.bias"),
        ("self_attn.k_proj.bias", "attn_k.bias"),
        ("self_attn.v_proj.bias", "attn_v.bias"),
        ("post_attention_layernorm.weight", "ffn_norm.weight"),
        ("mlp.gate_proj.weight", "ffn_gate.weight"),
        ("mlp.up_proj.weight", "ffn_up.weight"),
        ("mlp.down_proj.weight", "ffn_down.weight"),
    ]

    /// llama.cpp's converter reorders each head's rows of q_proj/k_proj (and their biases): HF row
    /// j·(d/2) + i (half j of the rotate-half layout) becomes GGUF row 2i + j (interleaved pairs).
    /// `rows` is the projection's output width, `columns` its input width (1 for a bias).
    public static func permuteHFToGGUF(_ values: [Float], heads: Int, rows: Int, columns: Int) -> [Float] {
        reorder(values, heads: heads, rows: rows, columns: columns, toGGUF: true)
    }

    /// The inverse of `permuteHFToGGUF`.
    public static func permuteGGUFToHF(_ values: [Float], heads: Int, rows: Int, columns: Int) -> [Float] {
        reorder(values, heads: heads, rows: rows, columns: columns, toGGUF: false)
    }

    /// The GGUF row that HF row `hfRow` of a q_proj/k_proj with `heads` heads and `rows` rows comes from.
    public static func ggufRow(ofHFRow hfRow: Int, heads: Int, rows: Int) -> Int {
        let headDim = rows / heads, half = headDim / 2
        let head = hfRow / headDim, within = hfRow % headDim
        return head * headDim + 2 * (within % half) + within / half
    }

    private static func reorder(_ values: [Float], heads: Int, rows: Int, columns: Int, toGGUF: Bool) -> [Float] {
        precondition(values.count == rows * columns && rows % (2 * heads) == 0, "permutation shape")
        var out = [Float](repeating: 0, count: values.count)
        for hfRow in 0..<rows {
            let ggufRow = ggufRow(ofHFRow: hfRow, heads: heads, rows: rows)
            let (from, to) = toGGUF ? (hfRow, ggufRow) : (ggufRow, hfRow)
            for c in 0..<columns { out[to * columns + c] = values[from * columns + c] }
        }
        return out
    }
}
