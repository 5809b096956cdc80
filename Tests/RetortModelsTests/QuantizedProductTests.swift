// The product with Q4_0, Q4_1 and Q8_0 blocks gives the same bits as the float32 product with the
// matrix GGMLDequantizer makes of those blocks, for every row count (the one- and two-row fused path
// and the panel path), column ranges that leave partial panels, bias-style accumulation, and on the
// portable path as on the vector one.
import RetortTensor
import Testing
@testable import RetortModels

@Suite(.serialized) struct QuantizedProductTests {
    static let cases: [(BlockQuantizedMatrix.Format, GGMLType)] = [(.q4_0, .q4_0), (.q4_1, .q4_1), (.q8_0, .q8_0)]

    /// Random blocks with scales of both signs, some subnormal, some zero.
    static func blocks(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        let blockCount = rows * columns / 32
        var bytes: [UInt8] = []
        for b in 0..<blockCount {
            func half() -> [UInt8] {
                let value: Float = b % 11 == 3 ? 3e-6 : b % 13 == 5 ? 0 : (generator.nextUnitFloat() - 0.5) * 0.2
                let bits = value.halfBits
                return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
            }
            let payload = type == .q8_0 ? 32 : 16
            bytes += half()
            if type == .q4_1 { bytes += half() }
            bytes += (0..<payload).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        return bytes
    }

    static func product(_ rows: Int, _ x: [Float], weight: BlockQuantizedMatrix, start: [Float]?) -> [Float] {
        var out = start ?? [Float](repeating: 0, count: rows * weight.rows)
        x.withUnsafeBufferPointer { x in
            RowIndependentProduct.multiply(out: &out, inp: x.baseAddress!, weight: weight, rows: rows, accumulate: start != nil)
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 4, 5, 17])
    func blocksGiveTheBitsOfTheirDequantizedMatrix(rows: Int) throws {
        for (format, type) in Self.cases {
            for (columns, outputs) in [(32, 1), (96, 13), (576, 30)] {
                let bytes = Self.blocks(type, rows: outputs, columns: columns, seed: UInt64(rows * 100 + columns))
                let weight = try BlockQuantizedMatrix(format: format, rows: outputs, columns: columns, bytes: bytes)
                let dense = try bytes.withUnsafeBytes { try GGMLDequantizer.dequantize($0, type: type, count: outputs * columns) }
                var generator = SplitMix64(seed: 5)
                let x = (0..<(rows * columns)).map { _ in generator.nextUnitFloat() * 2 - 1 }
                var expected = [Float](repeating: 0, count: rows * outputs)
                RowIndependentProduct.multiply(out: &expected, inp: x, weight: dense, rows: rows, C: columns, OC: outputs, accumulate: false)
                let got = Self.product(rows, x, weight: weight, start: nil)
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(format) rows \(rows) \(outputs)x\(columns)")
                // Accumulating onto a bias adds the same product.
                let bias = (0..<(rows * outputs)).map { Float($0 % 7) * 0.25 }
                var withBias = bias
                RowIndependentProduct.multiply(out: &withBias, inp: x, weight: dense, rows: rows, C: columns, OC: outputs, accumulate: true)
                #expect(Self.product(rows, x, weight: weight, start: bias).map(\.bitPattern) == withBias.map(\.bitPattern))
                // The portable path gives the same bits.
                RowIndependentProduct.forcePortable(true)
                let portable = Self.product(rows, x, weight: weight, start: nil)
                RowIndependentProduct.forcePortable(false)
                #expect(portable.map(\.bitPattern) == expected.map(\.bitPattern), "portable \(format) rows \(rows)")
            }
        }
    }

    @Test func badShapesAreRefused() {
        #expect(throws: TensorError.self) { try BlockQuantizedMatrix(format: .q4_1, rows: 2, columns: 48, bytes: [UInt8](repeating: 0, count: 60)) }
        #expect(throws: TensorError.self) { try BlockQuantizedMatrix(format: .q8_0, rows: 2, columns: 32, bytes: [UInt8](repeating: 0, count: 67)) }
        #expect(throws: TensorError.self) { try BlockQuantizedMatrix(format: .q4_0, rows: 0, columns: 32, bytes: []) }
        #expect(BlockQuantizedMatrix.Format.q4_0.rowBytes(columns: 64) == 36)
        #expect(BlockQuantizedMatrix.Format.q4_1.rowBytes(columns: 64) == 40)
        #expect(BlockQuantizedMatrix.Format.q8_0.rowBytes(columns: 64) == 68)
    }
}
