// Hidden-state objectives in a token stage (FitNets, Patient KD, TinyBERT): the teacher runs on the
// same packed batch, and each feature objective compares chosen student hidden states with the
// teacher's at the trained positions. Its dL/dhidden joins the residual gradient in the backward.
// When the widths differ, each layer pair reads the student through its own learned projection
// (FitNets' regressor), trained by the same optimizer and saved in the same checkpoints.
import Foundation
import RetortModels
import RetortTensor

/// The feature part of a trainer: the objectives, the hidden states they pair, and the teacher.
struct FeatureDistillation {
    struct Part {
        var name: String
        var weight: Double
        /// Pairs index into `studentIndices` and `teacherIndices`, not hidden-state numbers.
        var mapping: FeatureLayerMapping
    }

    let teacher: LlamaModel
    /// Hidden-state numbers (0 = embeddings, k = after k layers) the pairs read, sorted.
    let studentIndices: [Int]
    let teacherIndices: [Int]
    let parts: [Part]
    /// One projection per distinct (student, teacher) hidden-state pair when the widths differ,
    /// keyed by the pair's hidden-state numbers; empty when they agree.
    let projections: [FeatureLayerKey: FeatureProjection]

    /// Builds the plan from the feature objectives and `pairs` of hidden-state numbers (empty: Patient
    /// KD's skip mapping of layer outputs). Checks the layers exist and the vocabularies agree; widths
    /// that differ get projections whose initial weights come from `seed`.
    init(objectives: [(name: String, weight: Double, objective: any FeatureObjective)], pairs: [FeatureLayerPair],
         student: LlamaModel, teacher: LlamaModel?, seed: UInt64) throws {
        guard let teacher else {
            throw TrainerError.invalidSetting(name: "feature objectives", value: objectives.map(\.name).joined(separator: ", "),
                                              allowed: "given with a teacher model whose hidden states they match")
        }
        guard teacher !== student else {
            throw TrainerError.invalidSetting(name: "feature teacher", value: "the student itself", allowed: "a separate model")
        }
        let S = student.config.numHiddenLayers, T = teacher.config.numHiddenLayers
        var resolved = pairs
        if resolved.isEmpty {
            resolved = try FeatureLayerMapping.uniform(studentLayers: S, teacherLayers: T, objective: objectives[0].objective).pairs.map {
                FeatureLayerPair(studentLayer: $0.studentLayer + 1, teacherLayer: $0.teacherLayer + 1, weight: $0.weight)
            }
        }
        for pair in resolved {
            guard (0...S).contains(pair.studentLayer) else { throw ObjectiveError.layerOutOfRange(side: "student", layer: pair.studentLayer, count: S + 1) }
            guard (0...T).contains(pair.teacherLayer) else { throw ObjectiveError.layerOutOfRange(side: "teacher", layer: pair.teacherLayer, count: T + 1) }
        }
        guard student.config.vocabSize == teacher.config.vocabSize else {
            throw ObjectiveError.sizeMismatch(what: "vocabulary (feature objectives run both models on the same tokens)",
                                              student: student.config.vocabSize, teacher: teacher.config.vocabSize)
        }
        self.teacher = teacher
        let studentIndices = Set(resolved.map(\.studentLayer)).sorted()
        let teacherIndices = Set(resolved.map(\.teacherLayer)).sorted()
        let local = resolved.map {
            FeatureLayerPair(studentLayer: studentIndices.firstIndex(of: $0.studentLayer)!,
                             teacherLayer: teacherIndices.firstIndex(of: $0.teacherLayer)!, weight: $0.weight)
        }
        self.studentIndices = studentIndices
        self.teacherIndices = teacherIndices
        parts = try objectives.map { Part(name: $0.name, weight: $0.weight, mapping: try FeatureLayerMapping(pairs: local, objective: $0.objective)) }
        var projections: [FeatureLayerKey: FeatureProjection] = [:]
        let studentWidth = student.config.hiddenSize, teacherWidth = teacher.config.hiddenSize
        if studentWidth != teacherWidth {
            for pair in resolved {
                let key = FeatureLayerKey(student: pair.studentLayer, teacher: pair.teacherLayer)
                guard projections[key] == nil else { continue }
                projections[key] = try FeatureProjection(
                    studentWidth: studentWidth, teacherWidth: teacherWidth,
                    seed: seed ^ (UInt64(pair.studentLayer) << 32 | UInt64(pair.teacherLayer)) &* 0x9E37_79B9_7F4A_7C15)
            }
        }
        self.projections = projections
    }

    /// The projections' weights and biases, in a fixed order, as the optimizer's extra parameters.
    func trainableParameters() throws -> [TrainableParameter] {
        try projections.keys.sorted().flatMap {
            try projections[$0]!.trainableParameters(prefix: "feature_projection.student_\($0.student).teacher_\($0.teacher)")
        }
    }

    /// Runs the teacher on `batch` and evaluates every part against the student's hidden states.
    /// Returns each part's value and scale · Σ_k w_k dL_k/dhidden by student hidden-state number.
    func evaluate(batch: PackedBatch, studentHidden: [Int: Tensor], scale: Double) throws
        -> (values: [ObjectiveValue], gradients: [Int: Tensor]) {
        let N = batch.B * batch.T, C = teacher.config.hiddenSize
        let studentWidth = studentHidden[studentIndices[0]]!.rowSize
        let wasTraining = teacher.isTraining
        teacher.isTraining = false
        defer { teacher.isTraining = wasTraining }
        let teacherHidden = try teacher.forward(tokens: batch.tokens, B: batch.B, T: batch.T, positions: batch.positions,
                                                segments: batch.segments, keepHiddenStates: Set(teacherIndices)).hiddenStates
        let studentViews = studentIndices.map { UnsafeBufferPointer(studentHidden[$0]!.buffer) }
        let teacherViews = teacherIndices.map { UnsafeBufferPointer(teacherHidden[$0]!.buffer) }
        var gradients: [Int: Tensor] = [:]
        for index in studentIndices { gradients[index] = Tensor(shape: [N, studentWidth]) }
        var values: [ObjectiveValue] = []
        let scratch = studentIndices.map { _ in Tensor(shape: [N, studentWidth]) }
        for part in parts {
            for tensor in scratch { tensor.buffer.update(repeating: 0) }
            let value = try batch.lossMask.withUnsafeBufferPointer { mask in
                try part.mapping.evaluate(studentLayers: studentViews, teacherLayers: teacherViews, positions: N, studentWidth: studentWidth,
                                          teacherWidth: C, lossMask: mask, rows: 0..<N, studentGradients: scratch.map(\.buffer),
                                          projections: projections(for: part.mapping), gradientScale: scale * part.weight)
            }
            values.append(value)
            let factor = Float(scale * part.weight)
            for (slot, index) in studentIndices.enumerated() {
                let target = gradients[index]!.data, source = scratch[slot].data
                for i in 0..<(N * studentWidth) { target[i] += factor * source[i] }
            }
        }
        return (values, gradients)
    }

    /// The projection of each pair of `mapping` (whose layers are slots of the index lists), or none
    /// when the widths agree.
    private func projections(for mapping: FeatureLayerMapping) -> [FeatureProjection?] {
        guard !projections.isEmpty else { return [] }
        return mapping.pairs.map {
            projections[FeatureLayerKey(student: studentIndices[$0.studentLayer], teacher: teacherIndices[$0.teacherLayer])]
        }
    }
}

/// A student ↔ teacher pair of hidden-state numbers.
struct FeatureLayerKey: Hashable, Comparable {
    var student: Int
    var teacher: Int

    static func < (a: FeatureLayerKey, b: FeatureLayerKey) -> Bool { (a.student, a.teacher) < (b.student, b.teacher) }
}
