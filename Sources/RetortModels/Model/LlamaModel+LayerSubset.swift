// Initializing a shallower student from a teacher's layers (DistilBERT, Sanh et al., 2019, keeps
// every other layer): embeddings, the chosen layers in order, the final norm and the head are copied.
import RetortTensor

extension LlamaModel {
    /// A model with the teacher's config except numHiddenLayers = keep.count, whose layer i is a copy
    /// of teacher layer keep[i]. Base weights only: merge the teacher's adapters first if it has any.
    public static func layerSubset(of teacher: LlamaModel, keep: [Int]) throws -> LlamaModel {
        guard !keep.isEmpty else {
            throw ModelError.invalidConfig(field: "num_hidden_layers", reason: "of a layer subset must be positive (keep is empty)")
        }
        for index in keep where !teacher.layers.indices.contains(index) {
            throw ModelError.layerOutOfRange(index: index, layerCount: teacher.layers.count)
        }
        var config = teacher.config
        config.numHiddenLayers = keep.count
        let student = try LlamaModel(zeroedFor: config)
        try copyValues(from: teacher.embedding, to: student.embedding)
        try copyValues(from: teacher.finalNorm, to: student.finalNorm)
        if let source = teacher.lmHead, let target = student.lmHead { try copyValues(from: source, to: target) }
        for (studentIndex, teacherIndex) in keep.enumerated() {
            let source = teacher.layers[teacherIndex].parameters, target = student.layers[studentIndex].parameters
            for (from, to) in zip(source, target) { try copyValues(from: from, to: to) }
        }
        return student
    }

    /// Every k-th layer index of a stack of `layerCount`, starting at 0 (k = 2: 0, 2, 4, ...).
    public static func everyKthLayer(_ k: Int, of layerCount: Int) -> [Int] {
        Array(stride(from: 0, to: layerCount, by: max(k, 1)))
    }

    static func copyValues(from source: ModelParameter, to target: ModelParameter) throws {
        try target.assign(from: source)
    }
}
