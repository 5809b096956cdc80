// A weight matrix kept in ggml's 32-weight blocks (Q4_0, Q4_1, Q8_0) for inference products. A decode
// step reads every weight once, so at batch 1 its time is the bytes it reads: these blocks are 4.5 to
// 8.5 bits a weight instead of 32. The product decodes them exactly (see CRetortKernels), so it gives
// the same bits as the float32 matrix they dequantize to.
import CRetortKernels

public final class BlockQuantizedMatrix: @unchecked Sendable {
    public enum Format: Sendable, CaseIterable {
        case q4_0, q4_1, q8_0

        var kernelFormat: Int32 {
            switch self {
            case .q4_0: Int32(RETORT_WEIGHTS_Q4_0)
            case .q4_1: Int32(RETORT_WEIGHTS_Q4_1)
            case .q8_0: Int32(RETORT_WEIGHTS_Q8_0)
            }
        }

        /// Bytes of a row of `columns` weights; nil unless columns is a positive multiple of 32.
        public func rowBytes(columns: Int) -> Int? {
            let bytes = retort_quantized_row_bytes(kernelFormat, Int64(columns))
            return bytes < 0 ? nil : Int(bytes)
        }
    }

    public let format: Format
    /// Output features (rows of the (rows, columns) matrix) and input features.
    public let rows: Int
    public let columns: Int
    let bytes: [UInt8]

    /// `bytes` holds `rows` rows of blocks, row after row, as ggml lays out a 2-D tensor.
    public init(format: Format, rows: Int, columns: Int, bytes: [UInt8]) throws {
        guard rows > 0, let rowBytes = format.rowBytes(columns: columns) else {
            throw TensorError.invalidConfiguration(op: "BlockQuantizedMatrix", reason: "a \(format) matrix needs rows > 0 and a positive multiple of 32 columns, got (\(rows), \(columns))")
        }
        guard bytes.count == rows * rowBytes else {
            throw TensorError.lengthMismatch(op: "BlockQuantizedMatrix", argument: "bytes", expected: rows * rowBytes, actual: bytes.count)
        }
        self.format = format
        self.rows = rows
        self.columns = columns
        self.bytes = bytes
    }
}

extension RowIndependentProduct {
    /// out (rows, OC) = inp (rows, C) @ weight^T, or += when `accumulate`, where weight is (OC, C) in blocks.
    public static func multiply(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: BlockQuantizedMatrix,
                                rows: Int, accumulate: Bool) {
        let C = weight.columns, OC = weight.rows
        guard rows > 0 else { return }
        let blocks = (OC + 3) / 4  // the kernel's column panels: keep them whole per worker
        weight.bytes.withUnsafeBufferPointer { bytes in
            let base = bytes.baseAddress!
            Parallel.forEachRange(blocks, costPerItem: 4 * rows * C) { range in
                let status = retort_rows_times_quantized_weights(
                    inp, Int64(C), base, weight.format.kernelFormat, out, Int64(OC), Int64(rows), Int64(C),
                    Int64(range.lowerBound * 4), Int64(min(OC, range.upperBound * 4)), accumulate ? 1 : 0)
                precondition(status == 0, "quantized product: out of memory for a \(4 * C)-float panel")
            }
        }
    }
}
