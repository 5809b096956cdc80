// The recipe's `export` block: the student's GGUF type (what llama.cpp and Ollama load), whether
// a Hugging Face folder is written too, and whether the report and the bundle are made.
public struct ExportSpec: Sendable, Hashable {
    public var ggufType: String
    public var huggingFace: Bool
    public var report: Bool
    public var bundle: Bool

    public static let defaults = ExportSpec(ggufType: "q8_0", huggingFace: false, report: true, bundle: true)
    static let ggufTypes = ["f32", "f16", "q8_0", "q4_0"]

    static func decode(_ node: RecipeNode) throws(RecipeError) -> ExportSpec {
        let f = try node.mapping(allowed: ["gguf", "huggingface", "report", "bundle"])
        let d = defaults
        return ExportSpec(ggufType: try f.choice("gguf", ggufTypes, default: d.ggufType),
                          huggingFace: try f.optionalBool("huggingface") ?? d.huggingFace,
                          report: try f.optionalBool("report") ?? d.report, bundle: try f.optionalBool("bundle") ?? d.bundle)
    }
}
