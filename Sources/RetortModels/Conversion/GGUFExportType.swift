// The tensor types a model can be exported to GGUF as, and how each maps onto ggml tensor types and
// llama.cpp's `general.file_type` (enum llama_ftype: ALL_F32 0, MOSTLY_F16 1, MOSTLY_Q4_0 2,
// MOSTLY_Q8_0 7). As llama.cpp's quantizer does: norms and biases (1-D tensors) stay F32, and a
// 4-bit file keeps its output matrix (the LM head, or the embedding when tied) at 8 bits — llama.cpp
// uses Q6_K there; Q8_0 is the closest type this writer has — since 4-bit logits cost most quality.

public enum GGUFExportType: String, Sendable, CaseIterable, CustomStringConvertible {
    case f32, f16, q8_0, q4_0

    /// The ggml type of the model's matrices.
    public var matrixType: GGMLType {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        }
    }

    /// llama_ftype, stored as `general.file_type`.
    public var fileType: UInt32 {
        switch self {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q8_0: 7
        }
    }

    /// "F32", "Q8_0", … as ggml spells them.
    public var description: String { matrixType.description }

    /// Parses "f16", "F16", "q8_0", "Q4_0"…; nil for anything else.
    public init?(name: String) {
        guard let type = Self(rawValue: name.lowercased()) else { return nil }
        self = type
    }

    /// The names accepted, for error messages and help text.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The type of one tensor: 1-D tensors stay F32; the output matrix of a 4-bit file is Q8_0; a
    /// matrix whose rows are not whole blocks of its type falls back to F16, as llama.cpp's does.
    func tensorType(dimensions: [Int], isOutput: Bool) -> GGMLType {
        guard dimensions.count >= 2 else { return .f32 }
        let type = isOutput && self == .q4_0 ? GGMLType.q8_0 : matrixType
        return dimensions[0] % type.blockSize == 0 ? type : .f16
    }
}
