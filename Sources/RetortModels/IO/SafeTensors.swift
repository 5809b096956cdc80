// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
// { name: {dtype, shape, data_offsets}, "__metadata__": {string: string} }, then raw tensor bytes.
// Read memory-mapped with every header field checked; written atomically (temp file + rename),
// which is what checkpoints and exported models rely on.
import Foundation
import RetortJSON

public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    public var byteSize: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }
}

public struct SafeTensorsError: Error, LocalizedError, Sendable, Equatable {
    public let file: String
    public let message: String
    public var errorDescription: String? { "\(file): \(message)" }
}

public struct SafeTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// Byte range within the data section (after the header).
    public let dataRange: Range<Int>
    public var elementCount: Int { shape.reduce(1, *) }
}

public final class SafeTensorsFile: @unchecked Sendable {
    public let source: String
    /// Tensors in file order (by data offset).
    public let tensors: [SafeTensorInfo]
    public let metadata: [String: String]
    private let index: [String: Int]
    private let data: Data
    private let dataStart: Int

    /// Header lengths above this are treated as corruption, not allocated.
    static let maxHeaderLength = 100_000_000

    public convenience init(path: String) throws(SafeTensorsError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw SafeTensorsError(file: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        try self.init(data: data, source: path)
    }

    public init(data: Data, source: String) throws(SafeTensorsError) {
        func fail(_ message: String) -> SafeTensorsError { SafeTensorsError(file: source, message: message) }
        guard data.count >= 8 else { throw fail("too short for a safetensors file (\(data.count) bytes; the header length alone is 8)") }
        let headerLength = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt64 in
            var length: UInt64 = 0
            for i in 0..<8 { length |= UInt64(raw[i]) << (8 * UInt64(i)) }
            return length
        }
        guard headerLength >= 2, headerLength <= UInt64(Self.maxHeaderLength), Int(headerLength) <= data.count - 8 else {
            throw fail("header length \(headerLength) does not fit a file of \(data.count) bytes (truncated or not safetensors)")
        }
        let headerBytes = data.subdata(in: 8..<(8 + Int(headerLength)))
        guard let headerText = String(data: headerBytes, encoding: .utf8) else { throw fail("the header is not valid UTF-8") }
        let header: JSONValue
        do throws(JSONTextError) { header = try JSONValue(parsing: headerText) } catch {
            throw fail("the header is \(error.message)")
        }
        guard let members = header.objectValue else { throw fail("the header must be a JSON object, found \(header.typeName)") }

        let dataStart = 8 + Int(headerLength)
        let dataLength = data.count - dataStart
        var metadata: [String: String] = [:]
        var tensors: [SafeTensorInfo] = []
        for (name, entry) in members {
            if name == "__metadata__" {
                guard let fields = entry.objectValue, fields.values.allSatisfy({ $0.stringValue != nil }) else {
                    throw fail("\"__metadata__\" must be an object of strings")
                }
                metadata = fields.compactMapValues(\.stringValue)
                continue
            }
            tensors.append(try Self.tensorInfo(name: name, entry: entry, dataLength: dataLength, fail: fail))
        }
        tensors.sort { ($0.dataRange.lowerBound, $0.dataRange.upperBound) < ($1.dataRange.lowerBound, $1.dataRange.upperBound) }
        for (previous, next) in zip(tensors, tensors.dropFirst()) where next.dataRange.lowerBound < previous.dataRange.upperBound {
            throw fail("tensors \"\(previous.name)\" and \"\(next.name)\" overlap in the data section")
        }
        self.source = source
        self.tensors = tensors
        self.metadata = metadata
        self.data = data
        self.dataStart = dataStart
        index = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
    }

    private static func tensorInfo(name: String, entry: JSONValue, dataLength: Int,
                                   fail: (String) -> SafeTensorsError) throws(SafeTensorsError) -> SafeTensorInfo {
        guard let dtypeName = entry["dtype"]?.stringValue else { throw fail("tensor \"\(name)\" has no \"dtype\" string") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fail("tensor \"\(name)\" has unsupported dtype \(dtypeName); supported: \(SafeTensorsDType.allCases.map(\.rawValue))")
        }
        guard let shapeValues = entry["shape"]?.arrayValue else { throw fail("tensor \"\(name)\" has no \"shape\" array") }
        var shape: [Int] = []
        var elements = 1
        for value in shapeValues {
            guard let d = value.doubleValue, d >= 0, d == d.rounded(), d < 1e12 else {
                throw fail("tensor \"\(name)\" has an invalid dimension \(value.jsonText) in its shape")
            }
            shape.append(Int(d))
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
            guard !overflow else { throw fail("tensor \"\(name)\" has a shape too large to address") }
            elements = product
        }
        guard let offsets = entry["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].doubleValue, let end = offsets[1].doubleValue,
              begin >= 0, begin <= end, begin == begin.rounded(), end == end.rounded()
        else {
            throw fail("tensor \"\(name)\" needs \"data_offsets\": [begin, end] with 0 <= begin <= end")
        }
        guard end <= Double(dataLength) else {
            // `end` may be far beyond Int's range (1e308): print it as a Double there, never convert it.
            let shown = end < 9e18 ? String(Int(end)) : "\(end)"
            throw fail("tensor \"\(name)\" ends at byte \(shown) but the data section has \(dataLength) bytes (truncated file?)")
        }
        let range = Int(begin)..<Int(end)
        let (needed, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw fail("tensor \"\(name)\" has a shape too large to address") }
        guard range.count == needed else {
            throw fail("tensor \"\(name)\" has \(range.count) bytes but shape \(shape) of \(dtype.rawValue) needs \(needed)")
        }
        return SafeTensorInfo(name: name, dtype: dtype, shape: shape, dataRange: range)
    }

    public func info(_ name: String) throws(SafeTensorsError) -> SafeTensorInfo {
        guard let i = index[name] else {
            throw SafeTensorsError(file: source, message: "no tensor named \"\(name)\" (\(tensors.count) tensors in the file)")
        }
        return tensors[i]
    }

    /// The tensor's elements as float32, converting from F64, F32, F16 or BF16.
    public func floats(_ name: String) throws(SafeTensorsError) -> [Float] {
        let info = try info(name)
        let n = info.elementCount
        let values: [Float]? = data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: dataStart + info.dataRange.lowerBound)
            switch info.dtype {
            case .f32: return (0..<n).map { base.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            case .f64: return (0..<n).map { Float(base.loadUnaligned(fromByteOffset: $0 * 8, as: Double.self)) }
            case .f16:
                return (0..<n).map { Float(halfBits: base.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) }
            case .bf16:
                return (0..<n).map {
                    Float(bitPattern: UInt32(base.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) << 16)
                }
            default: return nil
            }
        }
        guard let values else {
            throw SafeTensorsError(file: source, message: "tensor \"\(name)\" is \(info.dtype.rawValue), not a floating-point type")
        }
        return values
    }

    /// The tensor's elements as 64-bit integers, converting from any integer dtype or BOOL.
    public func integers(_ name: String) throws(SafeTensorsError) -> [Int64] {
        let info = try info(name)
        let n = info.elementCount
        let values: [Int64]? = data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: dataStart + info.dataRange.lowerBound)
            switch info.dtype {
            case .i64: return (0..<n).map { base.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self) }
            case .i32: return (0..<n).map { Int64(base.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
            case .i16: return (0..<n).map { Int64(base.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self)) }
            case .i8: return (0..<n).map { Int64(base.loadUnaligned(fromByteOffset: $0, as: Int8.self)) }
            case .u8, .bool: return (0..<n).map { Int64(base.loadUnaligned(fromByteOffset: $0, as: UInt8.self)) }
            default: return nil
            }
        }
        guard let values else {
            throw SafeTensorsError(file: source, message: "tensor \"\(name)\" is \(info.dtype.rawValue), not an integer type")
        }
        return values
    }
}
