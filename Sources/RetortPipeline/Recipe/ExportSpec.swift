// The recipe's `export` block: what a run writes of its trained student — GGUF files at chosen
// types (the first is the one a bundle ships), optionally a Hugging Face folder, and a bundle.
// Without the block a run exports one Q8_0 GGUF and a bundle.
import RetortModels

public struct ExportSpec: Sendable, Hashable {
    /// GGUF types to write, in order; the first is the bundled student. Empty: no GGUF (and no bundle).
    public var gguf: [GGUFExportType]
    /// The dtype of a Hugging Face folder (safetensors, config.json, tokenizer.json); nil: none.
    public var huggingFace: SafeTensorsDType?
    /// Pack `<run>/bundle` after exporting (needs a GGUF).
    public var bundle: Bool

    public init(gguf: [GGUFExportType], huggingFace: SafeTensorsDType?, bundle: Bool) {
        self.gguf = gguf
        self.huggingFace = huggingFace
        self.bundle = bundle
    }

    public static let defaults = ExportSpec(gguf: [.q8_0], huggingFace: nil, bundle: true)

    static func decode(_ node: RecipeNode) throws(RecipeError) -> ExportSpec {
        let f = try node.mapping(allowed: ["gguf", "huggingface", "bundle"])
        var spec = defaults
        if let list = f["gguf"] {
            spec.gguf = []
            for name in try list.strings() {
                guard let type = GGUFExportType(name: name) else {
                    throw list.error("unknown GGUF type \"\(name)\"; expected some of: \(GGUFExportType.names)")
                }
                if spec.gguf.contains(type) { throw list.error("lists \(name) twice") }
                spec.gguf.append(type)
            }
        }
        if let node = f["huggingface"] {
            let name = try node.string().lowercased()
            switch name {
            case "none": spec.huggingFace = nil
            case "f32": spec.huggingFace = .f32
            case "f16": spec.huggingFace = .f16
            case "bf16": spec.huggingFace = .bf16
            default: throw node.error("unknown dtype \"\(name)\"; expected f32, f16, bf16 or none")
            }
        }
        spec.bundle = try f.optionalBool("bundle") ?? (spec.gguf.isEmpty ? false : defaults.bundle)
        if spec.bundle, spec.gguf.isEmpty {
            throw (f["bundle"] ?? node).error("a bundle ships the student as GGUF: list at least one type under `gguf`, or set `bundle: false`")
        }
        return spec
    }
}
