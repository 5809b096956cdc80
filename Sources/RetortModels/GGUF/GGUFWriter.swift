// Writing GGUF v3 files (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): header,
// metadata of any value type, tensor infos, then tensor data with every tensor aligned to 32 bytes.
// Tensors are given as float32 and stored as F32, F16, BF16, Q8_0 or Q4_0 (see GGMLQuantizer).
// The file is written atomically (temporary file, then rename).
import Foundation

public struct GGUFWriter: Sendable {
    public static let alignment = 32
    static let maximumNameBytes = 63  // GGML_MAX_NAME − 1

    struct PendingTensor: Sendable {
        let name: String
        let dimensions: [Int]
        let type: GGMLType
        let bytes: [UInt8]
    }

    /// Metadata keys in the order they will be written.
    public private(set) var metadataKeys: [String] = []
    public private(set) var metadata: [String: GGUFValue] = [:]
    var tensors: [PendingTensor] = []

    public init() {}

    /// Sets a metadata value; a key set again keeps its first position.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if metadata.updateValue(value, forKey: key) == nil { metadataKeys.append(key) }
    }

    /// Adds a tensor. `dimensions` are in ggml order (innermost first, so a weight of `rows` rows
    /// of length `n` is [n, rows]); `values` are row-major in that layout.
    public mutating func addTensor(_ name: String, values: [Float], dimensions: [Int], as type: GGMLType = .f32) throws {
        let field = "tensor '\(name)'"
        func invalid(_ problem: String) -> GGUFError { GGUFError(.invalidInput, file: "writer", field: field, problem) }
        guard !name.isEmpty, name.utf8.count <= Self.maximumNameBytes else {
            throw invalid("a tensor name must have 1 to \(Self.maximumNameBytes) bytes")
        }
        guard !tensors.contains(where: { $0.name == name }) else { throw invalid("was already added") }
        guard (1...GGUFFile.maximumDimensions).contains(dimensions.count), dimensions.allSatisfy({ $0 >= 0 }) else {
            throw invalid("dimensions \(dimensions) must be 1 to \(GGUFFile.maximumDimensions) non-negative sizes")
        }
        let count = dimensions.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? -1 : $0 * $1 }
        guard count == values.count else {
            throw invalid("dimensions \(dimensions) hold \(count) values but \(values.count) were given")
        }
        guard dimensions[0] % type.blockSize == 0 else {
            throw invalid("row length \(dimensions[0]) is not a multiple of the \(type) block size \(type.blockSize)")
        }
        let bytes = try GGMLQuantizer.encode(values, as: type, field: field)
        tensors.append(PendingTensor(name: name, dimensions: dimensions, type: type, bytes: bytes))
    }

    /// The whole file's bytes.
    public func serialized() throws -> Data {
        if let alignment = metadata["general.alignment"], alignment != .uint32(UInt32(Self.alignment)) {
            throw GGUFError(.invalidInput, file: "writer", field: "metadata key 'general.alignment'",
                            "the writer aligns to \(Self.alignment); found \(alignment)")
        }
        var out = GGUFEncoder()
        out.bytes.append(contentsOf: GGUFFile.magic)
        out.u32(3)
        out.u64(UInt64(tensors.count))
        out.u64(UInt64(metadataKeys.count))
        for key in metadataKeys {
            out.string(key)
            let value = metadata[key]!
            out.u32(value.type.rawValue)
            out.value(value)
        }
        var offset = 0
        for tensor in tensors {
            out.string(tensor.name)
            out.u32(UInt32(tensor.dimensions.count))
            for d in tensor.dimensions { out.u64(UInt64(d)) }
            out.u32(tensor.type.rawValue)
            out.u64(UInt64(offset))
            offset += Self.padded(tensor.bytes.count)
        }
        out.pad(to: Self.alignment)
        for tensor in tensors {
            out.bytes.append(contentsOf: tensor.bytes)
            out.pad(to: Self.alignment)
        }
        return Data(out.bytes)
    }

    /// Writes the file atomically.
    public func write(to path: String) throws {
        let data = try serialized()
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw GGUFError(.io, file: path, field: "file", "cannot be written: \(error.localizedDescription)")
        }
    }

    static func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
}

/// Little-endian encoding of GGUF fields.
struct GGUFEncoder {
    var bytes: [UInt8] = []

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    mutating func pad(to alignment: Int) {
        bytes.append(contentsOf: repeatElement(0, count: (alignment - bytes.count % alignment) % alignment))
    }
    mutating func raw<T>(_ values: [T]) {
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }  // little-endian hosts only, as the reader
    }

    mutating func value(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): bytes.append(v)
        case .int8(let v): bytes.append(UInt8(bitPattern: v))
        case .uint16(let v): raw([v])
        case .int16(let v): raw([v])
        case .uint32(let v): u32(v)
        case .int32(let v): raw([v])
        case .uint64(let v): u64(v)
        case .int64(let v): raw([v])
        case .float32(let v): u32(v.bitPattern)
        case .float64(let v): u64(v.bitPattern)
        case .bool(let v): bytes.append(v ? 1 : 0)
        case .string(let s): string(s)
        case .array(let a): array(a)
        }
    }

    mutating func array(_ array: GGUFArray) {
        u32(array.elementType.rawValue)
        u64(UInt64(array.count))
        switch array {
        case .uint8(let a): raw(a)
        case .int8(let a): raw(a)
        case .uint16(let a): raw(a)
        case .int16(let a): raw(a)
        case .uint32(let a): raw(a)
        case .int32(let a): raw(a)
        case .uint64(let a): raw(a)
        case .int64(let a): raw(a)
        case .float32(let a): raw(a)
        case .float64(let a): raw(a)
        case .bool(let a): bytes.append(contentsOf: a.map { $0 ? 1 : 0 })
        case .string(let a): for s in a { string(s) }
        case .array(let a): for inner in a { self.array(inner) }
        }
    }
}
