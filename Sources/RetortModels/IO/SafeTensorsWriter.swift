// Writes safetensors files: tensors added in order, converted to the requested dtype, the header
// padded to 8 bytes, and the file replaced atomically so a crash never leaves a torn file.
import Foundation
import RetortJSON

public struct SafeTensorsWriter: Sendable {
    private var entries: [(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8])] = []
    public var metadata: [String: String] = [:]

    public init() {}

    /// Adds a float tensor stored as F32, F16 or BF16 (round to nearest even).
    public mutating func add(_ name: String, floats: [Float], shape: [Int], as dtype: SafeTensorsDType = .f32)
        throws(SafeTensorsError)
    {
        try check(name, count: floats.count, shape: shape)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(floats.count * dtype.byteSize)
        switch dtype {
        case .f32: for x in floats { appendLittleEndian(x.bitPattern, to: &bytes) }
        case .f16: for x in floats { appendLittleEndian(x.halfBits, to: &bytes) }
        case .bf16: for x in floats { appendLittleEndian(x.bfloat16Bits, to: &bytes) }
        default:
            throw SafeTensorsError(file: name, message: "floats can be written as F32, F16 or BF16, not \(dtype.rawValue)")
        }
        entries.append((name, dtype, shape, bytes))
    }

    /// Adds an integer tensor stored as I64 or I32.
    public mutating func add(_ name: String, integers: [Int64], shape: [Int], as dtype: SafeTensorsDType = .i64)
        throws(SafeTensorsError)
    {
        try check(name, count: integers.count, shape: shape)
        var bytes: [UInt8] = []
        switch dtype {
        case .i64: for x in integers { appendLittleEndian(UInt64(bitPattern: x), to: &bytes) }
        case .i32:
            for x in integers {
                guard let v = Int32(exactly: x) else {
                    throw SafeTensorsError(file: name, message: "value \(x) does not fit I32")
                }
                appendLittleEndian(UInt32(bitPattern: v), to: &bytes)
            }
        default:
            throw SafeTensorsError(file: name, message: "integers can be written as I64 or I32, not \(dtype.rawValue)")
        }
        entries.append((name, dtype, shape, bytes))
    }

    private func check(_ name: String, count: Int, shape: [Int]) throws(SafeTensorsError) {
        guard name != "__metadata__", !name.isEmpty else {
            throw SafeTensorsError(file: name, message: "\"\(name)\" cannot name a tensor")
        }
        guard !entries.contains(where: { $0.name == name }) else {
            throw SafeTensorsError(file: name, message: "tensor \"\(name)\" was added twice")
        }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw SafeTensorsError(file: name, message: "shape \(shape) does not hold \(count) elements")
        }
    }

    /// The complete file contents.
    public func serialized() -> Data {
        var header: [String: JSONValue] = [:]
        var offset = 0
        for entry in entries {
            header[entry.name] = [
                "dtype": .string(entry.dtype.rawValue),
                "shape": .array(entry.shape.map { .number(Double($0)) }),
                "data_offsets": [.number(Double(offset)), .number(Double(offset + entry.bytes.count))],
            ]
            offset += entry.bytes.count
        }
        if !metadata.isEmpty { header["__metadata__"] = .object(metadata.mapValues { .string($0) }) }
        var headerBytes = Array(JSONValue.object(header).jsonText.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }
        var out = Data(capacity: 8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for entry in entries { out.append(contentsOf: entry.bytes) }
        return out
    }

    /// Writes to a temporary file beside `path`, flushes it to disk, then renames it over `path`.
    public func write(to path: String) throws(SafeTensorsError) {
        do { try AtomicFile.write(serialized(), to: path) } catch {
            throw SafeTensorsError(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}
