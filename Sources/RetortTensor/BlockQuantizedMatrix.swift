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
    /// The blocks, owned (a copy of what init was given, so no array has to stay pinned during a product).
    let bytes: UnsafeMutablePointer<UInt8>
    let byteCount: Int
    /// Each block's scales as floats (d, then m or 0), converted once instead of at every product.
    let scales: UnsafeMutablePointer<Float>

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
        byteCount = bytes.count
        self.bytes = .allocate(capacity: bytes.count)
        self.bytes.initialize(from: bytes, count: bytes.count)
        scales = .allocate(capacity: rows * columns / 32 * 2)
        retort_quantized_scales(format.kernelFormat, self.bytes, Int64(rows), Int64(columns), scales)
    }

    deinit {
        bytes.deallocate()
        scales.deallocate()
    }
}

extension RowIndependentProduct {
    /// A weight matrix (OC, C) as a product reads it: float32 rows or ggml blocks.
    public enum Weight {
        case dense(UnsafePointer<Float>)
        case blocks(BlockQuantizedMatrix)
    }

    /// One product of a fused call: out (rows, OC) (+)= inp @ weight^T.
    public struct Product {
        public let out: UnsafeMutablePointer<Float>
        public let weight: Weight
        public let outFeatures: Int
        public let accumulate: Bool

        public init(out: UnsafeMutablePointer<Float>, weight: Weight, outFeatures: Int, accumulate: Bool) {
            self.out = out
            self.weight = weight
            self.outFeatures = outFeatures
            self.accumulate = accumulate
        }
    }

    /// out (rows, OC) = inp (rows, C) @ weight^T, or += when `accumulate`, where weight is (OC, C) in blocks.
    public static func multiply(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: BlockQuantizedMatrix,
                                rows: Int, accumulate: Bool) {
        multiply(inp: inp, rows: rows, C: weight.columns,
                 products: [Product(out: out, weight: .blocks(weight), outFeatures: weight.rows, accumulate: accumulate)])
    }

    /// Several products of the same input (a layer's q, k and v) in one parallel pass, so a decode
    /// step pays the threads' start once. Each output is what its product alone would give.
    public static func multiply(inp: UnsafePointer<Float>, rows: Int, C: Int, products: [Product]) {
        guard rows > 0, !products.isEmpty else { return }
        // The column panels of 4 of every product, one after the other; a worker takes a run of them.
        let panels = products.map { ($0.outFeatures + 3) / 4 }
        let starts = panels.reduce(into: [0]) { $0.append($0.last! + $1) }
        Parallel.forEachRange(starts.last!, costPerItem: 4 * rows * C) { range in
            for (index, product) in products.enumerated() {
                let lower = max(range.lowerBound, starts[index]), upper = min(range.upperBound, starts[index + 1])
                guard lower < upper else { continue }
                let begin = Int64((lower - starts[index]) * 4), end = Int64(min(product.outFeatures, (upper - starts[index]) * 4))
                let OC = Int64(product.outFeatures), accumulate: Int32 = product.accumulate ? 1 : 0
                switch product.weight {
                case .dense(let weight):
                    retort_rows_times_weights(inp, Int64(C), weight, Int64(C), product.out, OC, Int64(rows), Int64(C), begin, end, accumulate)
                case .blocks(let weight):
                    precondition(weight.columns == C, "a product's blocks have \(weight.columns) columns, the input \(C)")
                    let status = retort_rows_times_quantized_weights(inp, Int64(C), weight.bytes, weight.scales, weight.format.kernelFormat, product.out,
                                                                     OC, Int64(rows), Int64(C), begin, end, accumulate)
                    precondition(status == 0, "quantized product: out of memory for a \(4 * C)-float panel")
                }
            }
        }
    }
}
