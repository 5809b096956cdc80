// The recipe's `student` block: where the student's weights come from (a layer subset of the
// teacher, another model, or a fresh model of a given shape) and whether it trains fully or
// through LoRA adapters.
import RetortModels

public struct StudentSpec: Sendable, Hashable {
    public enum Initialization: Sendable, Hashable {
        /// Layers of the teacher's own model, by index (a DistilBERT-style subset).
        case teacherLayers(LayerChoice)
        /// A model named like any other (alias, .gguf path), optionally cut to layers.
        case model(name: String, layers: LayerChoice?)
        /// Random weights in the teacher's vocabulary with this shape.
        case scratch(hiddenSize: Int, layers: Int, heads: Int, kvHeads: Int, intermediateSize: Int)
    }

    public struct LoRA: Sendable, Hashable {
        public var rank: Int
        public var alpha: Double
        public var dropout: Double
        public var projections: [String]
    }

    public var initialization: Initialization
    /// nil: full fine-tuning.
    public var lora: LoRA?

    static let fields: Set<String> = ["from", "model", "layers", "keep_every", "config", "lora"]

    /// `layers: N` keeps N layers spread evenly (first and last kept), `layers: [i, …]` those
    /// indices, `keep_every: k` every k-th layer.
    static func decode(_ node: RecipeNode) throws(RecipeError) -> StudentSpec {
        let f = try node.mapping(allowed: fields)
        let from = try f.choice("from", ["teacher", "model", "scratch"], default: "teacher")
        var spec: StudentSpec
        switch from {
        case "scratch":
            let c = try f.required("config").mapping(allowed: ["hidden_size", "layers", "heads", "kv_heads", "intermediate_size"])
            spec = StudentSpec(initialization: .scratch(
                hiddenSize: try c.int("hidden_size", default: 256, in: 8...16_384), layers: try c.int("layers", default: 4, in: 1...256),
                heads: try c.int("heads", default: 4, in: 1...256), kvHeads: try c.int("kv_heads", default: 4, in: 1...256),
                intermediateSize: try c.int("intermediate_size", default: 768, in: 8...65_536)))
        case "model":
            spec = StudentSpec(initialization: .model(name: try f.string("model"), layers: try layerList(f)))
        default:
            guard let layers = try layerList(f) else { throw node.error("a student from the teacher needs `layers` (a count or a list of indices) or `keep_every`") }
            spec = StudentSpec(initialization: .teacherLayers(layers))
        }
        if let loraNode = f["lora"] {
            let l = try loraNode.mapping(allowed: ["rank", "alpha", "dropout", "projections"])
            let projections = try l.strings("projections")
            for name in projections where (try? LlamaProjection.named(name)) == nil {
                throw (l["projections"] ?? loraNode).error("unknown projection \"\(name)\"; expected q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj")
            }
            spec.lora = LoRA(rank: try l.int("rank", default: 8, in: 1...1024), alpha: try l.double("alpha", default: 16, in: 0.001...100_000),
                             dropout: try l.double("dropout", default: 0, in: 0...0.99),
                             projections: projections.isEmpty ? ["q_proj", "v_proj"] : projections)
        }
        return spec
    }

    private static func layerList(_ f: RecipeMapping) throws(RecipeError) -> LayerChoice? {
        if let node = f["layers"] {
            if let count = try? node.int() {
                guard count >= 1 else { throw node.error("must be at least 1, got \(count)") }
                return .count(count)
            }
            var indices: [Int] = []
            for item in try node.list() { indices.append(try item.int()) }
            guard !indices.isEmpty, indices.allSatisfy({ $0 >= 0 }), Set(indices).count == indices.count else {
                throw node.error("must be a count or a list of distinct layer indices ≥ 0")
            }
            return .indices(indices)
        }
        if f["keep_every"] != nil { return .every(try f.int("keep_every", default: 2, in: 1...64)) }
        return nil
    }
}

/// Which layers of a source model a student keeps.
public enum LayerChoice: Sendable, Hashable {
    case indices([Int])
    /// This many layers spread evenly, the first and the last kept.
    case count(Int)
    /// Every k-th layer from the first (DistilBERT keeps every 2nd).
    case every(Int)

    /// Concrete layer indices of a model with `layerCount` layers.
    public func resolve(layerCount: Int) throws -> [Int] {
        switch self {
        case .every(let k): return LlamaModel.everyKthLayer(k, of: layerCount)
        case .count(let n): return Self.evenlySpread(count: n, of: layerCount)
        case .indices(let layers):
            if let bad = layers.first(where: { $0 >= layerCount }) {
                throw RecipeError(file: "recipe", line: nil, column: nil, field: "student.layers",
                                  message: "layer \(bad) does not exist: the source model has \(layerCount) layers (0…\(layerCount - 1))")
            }
            return layers
        }
    }

    /// `count` of `total` layer indices spread evenly, keeping the first and the last.
    public static func evenlySpread(count: Int, of total: Int) -> [Int] {
        guard count < total else { return Array(0..<total) }
        guard count > 1 else { return [0] }
        return (0..<count).map { Int((Double($0) * Double(total - 1) / Double(count - 1)).rounded()) }
    }
}
