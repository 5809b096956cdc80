// Encoding float32 values as ggml tensor data for the GGUF writer: F32, F16, BF16, and the
// Q8_0 / Q4_0 block formats with ggml's reference rounding (quantize_row_q8_0_ref and
// quantize_row_q4_0_ref in ggml-quants.c), so llama.cpp and gguf-py read the same values:
//   Q8_0: d = max|x| / 127, q = roundf(x / d)              (half away from zero), d stored as f16
//   Q4_0: d = x_maxabs / −8 (signed), q = min(15, trunc(x / d + 8.5)), low nibbles 0..15, high 16..31
import Foundation

public enum GGMLQuantizer {
    /// Types the writer can produce.
    public static let writableTypes: Set<GGMLType> = [.f32, .f16, .bf16, .q8_0, .q4_0]

    /// Encodes `values` (a whole number of blocks) as `type`.
    public static func encode(_ values: [Float], as type: GGMLType, field: String = "tensor") throws -> [UInt8] {
        guard writableTypes.contains(type) else {
            throw GGUFError(.unsupported, file: "writer", field: field,
                            "cannot encode \(type); the writer supports F32, F16, BF16, Q8_0 and Q4_0")
        }
        guard let byteCount = type.byteCount(forElements: values.count) else {
            throw GGUFError(.invalidInput, file: "writer", field: field,
                            "\(values.count) values is not a whole number of \(type) blocks of \(type.blockSize)")
        }
        if type == .q8_0 || type == .q4_0, let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw GGUFError(.invalidInput, file: "writer", field: field,
                            "value \(values[bad]) at index \(bad) cannot be quantized to \(type)")
        }
        var out = [UInt8](repeating: 0, count: byteCount)
        out.withUnsafeMutableBytes { raw in
            let p = raw.baseAddress!
            switch type {
            case .f32:
                for (i, v) in values.enumerated() { p.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
            case .f16:
                for (i, v) in values.enumerated() { p.storeBytes(of: v.halfBits.littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
            case .bf16:
                for (i, v) in values.enumerated() { p.storeBytes(of: v.bfloat16Bits.littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
            case .q8_0:
                values.withUnsafeBufferPointer { x in
                    for b in 0..<values.count / 32 { q8_0(x.baseAddress! + 32 * b, p + 34 * b) }
                }
            case .q4_0:
                values.withUnsafeBufferPointer { x in
                    for b in 0..<values.count / 32 { q4_0(x.baseAddress! + 32 * b, p + 18 * b) }
                }
            default:
                preconditionFailure("checked against writableTypes")
            }
        }
        return out
    }

    static func q8_0(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        out.storeBytes(of: d.halfBits.littleEndian, as: UInt16.self)
        for j in 0..<32 {
            // id overflows to infinity only when d is far below the f16 range (stored as 0 anyway);
            // 0·∞ is NaN, so guard the conversion.
            let q = (x[j] * id).rounded(.toNearestOrAwayFromZero)
            out.storeBytes(of: q.isNaN ? 0 : Int8(max(-128, min(127, q))), toByteOffset: 2 + j, as: Int8.self)
        }
    }

    static func q4_0(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        // The signed value of largest magnitude (the first one on ties), as ggml picks it.
        var amax: Float = 0, maxValue: Float = 0
        for j in 0..<32 where amax < abs(x[j]) {
            amax = abs(x[j])
            maxValue = x[j]
        }
        let d = maxValue / -8
        let id: Float = d != 0 ? 1 / d : 0
        out.storeBytes(of: d.halfBits.littleEndian, as: UInt16.self)
        // trunc(v) clipped to 0...15; NaN (0·∞ when d is tiny) becomes 0.
        func nibble(_ v: Float) -> UInt8 { v >= 0 ? UInt8(min(15, v)) : 0 }
        for j in 0..<16 {
            out.storeBytes(of: nibble(x[j] * id + 8.5) | nibble(x[j + 16] * id + 8.5) << 4, toByteOffset: 2 + j, as: UInt8.self)
        }
    }
}
