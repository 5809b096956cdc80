// Reading GGUF v2/v3 files (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md):
//   "GGUF" magic · uint32 version · uint64 tensor_count · uint64 metadata_kv_count
//   · metadata (string key, uint32 value type, value)… · tensor infos (string name, uint32 n_dims,
//   uint64 dims[n_dims], uint32 ggml type, uint64 offset)… · padding to `general.alignment`
//   (default 32) · tensor data, each tensor at its offset from the data section's start.
// The file is memory-mapped; nothing is trusted: every count, length, dimension and offset is
// checked against the file before use. Little-endian files only (as llama.cpp writes them).
import Foundation

public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// ggml order: `dimensions[0]` is the innermost, contiguous one (the row length).
    public let dimensions: [Int]
    public let type: GGMLType
    /// Offset of the tensor's bytes from the start of the data section.
    public let offset: Int
    public let elementCount: Int
    public let byteCount: Int

    /// Row-major shape, outermost first (the order PyTorch and safetensors use).
    public var shape: [Int] { Array(dimensions.reversed()) }
}

public struct GGUFFile: Sendable {
    /// The path the file was read from, or the `source` given for in-memory data.
    public let path: String
    public let version: UInt32
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    public let metadata: [String: GGUFValue]
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, or 32 when absent.
    public let alignment: Int
    /// Where the data section starts in the file.
    public let dataOffset: Int
    let data: Data
    let tensorIndex: [String: Int]

    public static let magic: [UInt8] = Array("GGUF".utf8)
    public static let defaultAlignment = 32
    static let maximumDimensions = 4  // GGML_MAX_DIMS
    static let maximumArrayNesting = 8

    /// Memory-maps and parses the file at `path`.
    public init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw GGUFError(.io, file: path, field: "file", "cannot be opened: \(error.localizedDescription)")
        }
        try self.init(data: data, source: path)
    }

    /// Parses GGUF bytes held in memory; `source` names them in errors.
    public init(data: Data, source: String = "memory") throws {
        self.data = data
        self.path = source
        let parsed = try data.withUnsafeBytes { raw in try GGUFParser.parse(raw, file: source) }
        version = parsed.version
        metadataKeys = parsed.keys
        metadata = parsed.metadata
        tensors = parsed.tensors
        alignment = parsed.alignment
        dataOffset = parsed.dataOffset
        tensorIndex = Dictionary(uniqueKeysWithValues: parsed.tensors.enumerated().map { ($1.name, $0) })
    }

    public func tensor(named name: String) throws -> GGUFTensorInfo {
        guard let index = tensorIndex[name] else {
            throw GGUFError(.missing, file: path, field: "tensor '\(name)'", "no such tensor (the file has \(tensors.count))")
        }
        return tensors[index]
    }

    /// Calls `body` with the raw bytes of a tensor (borrowed from the mapping; do not keep them).
    public func withTensorBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let info = try tensor(named: name)
        let start = dataOffset + info.offset
        return try data.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<start + info.byteCount]))
        }
    }

    /// The tensor's values as float32, dequantized when the type is quantized.
    public func floats(_ name: String) throws -> [Float] {
        let info = try tensor(named: name)
        return try withTensorBytes(name) { bytes in
            try GGMLDequantizer.dequantize(bytes, type: info.type, count: info.elementCount,
                                           file: path, field: "tensor '\(name)'")
        }
    }
}

/// The parsing pass behind `GGUFFile`.
enum GGUFParser {
    struct Parsed {
        var version: UInt32 = 0
        var keys: [String] = []
        var metadata: [String: GGUFValue] = [:]
        var tensors: [GGUFTensorInfo] = []
        var alignment = GGUFFile.defaultAlignment
        var dataOffset = 0
    }

    static func parse(_ raw: UnsafeRawBufferPointer, file: String) throws -> Parsed {
        var cursor = GGUFByteCursor(raw, file: file)
        var parsed = Parsed()
        let magic = try cursor.take(4, "magic")
        guard Array(magic) == GGUFFile.magic else {
            throw GGUFError(.corrupt, file: file, field: "magic",
                            "expected \"GGUF\", found bytes \(magic.map { String(format: "%02x", $0) }.joined(separator: " "))")
        }
        parsed.version = try cursor.scalar(UInt32.self, "version")
        guard parsed.version == 2 || parsed.version == 3 else {
            let hint = parsed.version.byteSwapped <= 3 ? " (a big-endian file, which is not supported)" : ""
            throw GGUFError(.unsupported, file: file, field: "version", "version \(parsed.version) is not 2 or 3\(hint)")
        }
        let tensorCount = try cursor.count("tensor_count", minimumSize: 24)
        let kvCount = try cursor.count("metadata_kv_count", minimumSize: 13)

        for index in 0..<kvCount {
            let key = try cursor.string("metadata entry #\(index) key")
            let field = "metadata key '\(key)'"
            guard parsed.metadata[key] == nil else {
                throw GGUFError(.corrupt, file: file, field: field, "appears twice")
            }
            let type = try valueType(&cursor, field + " type")
            parsed.metadata[key] = try value(of: type, &cursor, field: field, depth: 0)
            parsed.keys.append(key)
        }

        if let value = parsed.metadata["general.alignment"] {
            guard case .uint32(let a) = value, a > 0, a & (a - 1) == 0 else {
                throw GGUFError(.corrupt, file: file, field: "metadata key 'general.alignment'",
                                "must be a uint32 power of two, found \(value)")
            }
            parsed.alignment = Int(a)
        }

        var names = Set<String>()
        for index in 0..<tensorCount {
            let info = try tensorInfo(&cursor, index: index, alignment: parsed.alignment, file: file)
            guard names.insert(info.name).inserted else {
                throw GGUFError(.corrupt, file: file, field: "tensor '\(info.name)'", "name appears twice")
            }
            parsed.tensors.append(info)
        }

        let padding = (parsed.alignment - cursor.position % parsed.alignment) % parsed.alignment
        parsed.dataOffset = cursor.position + padding
        let dataBytes = raw.count - parsed.dataOffset
        for info in parsed.tensors {
            guard dataBytes >= 0, info.offset <= dataBytes, info.byteCount <= dataBytes - info.offset else {
                throw GGUFError(.truncated, file: file, field: "tensor '\(info.name)' data",
                                "\(info.byteCount) bytes at data offset \(info.offset) run past the end of the \(max(dataBytes, 0))-byte data section")
            }
        }
        return parsed
    }

    static func valueType(_ cursor: inout GGUFByteCursor, _ field: String) throws -> GGUFValueType {
        let raw = try cursor.scalar(UInt32.self, field)
        guard let type = GGUFValueType(rawValue: raw) else {
            throw GGUFError(.corrupt, file: cursor.file, field: field, "unknown value type \(raw)")
        }
        return type
    }

    static func value(of type: GGUFValueType, _ cursor: inout GGUFByteCursor, field: String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: .uint8(try cursor.scalar(UInt8.self, field))
        case .int8: .int8(try cursor.scalar(Int8.self, field))
        case .uint16: .uint16(try cursor.scalar(UInt16.self, field))
        case .int16: .int16(try cursor.scalar(Int16.self, field))
        case .uint32: .uint32(try cursor.scalar(UInt32.self, field))
        case .int32: .int32(try cursor.scalar(Int32.self, field))
        case .uint64: .uint64(try cursor.scalar(UInt64.self, field))
        case .int64: .int64(try cursor.scalar(Int64.self, field))
        case .float32: .float32(Float(bitPattern: try cursor.scalar(UInt32.self, field)))
        case .float64: .float64(Double(bitPattern: try cursor.scalar(UInt64.self, field)))
        case .bool: .bool(try cursor.scalar(UInt8.self, field) != 0)
        case .string: .string(try cursor.string(field))
        case .array: .array(try array(&cursor, field: field, depth: depth + 1))
        }
    }

    static func array(_ cursor: inout GGUFByteCursor, field: String, depth: Int) throws -> GGUFArray {
        guard depth <= GGUFFile.maximumArrayNesting else {
            throw GGUFError(.corrupt, file: cursor.file, field: field,
                            "arrays nested deeper than \(GGUFFile.maximumArrayNesting) levels")
        }
        let type = try valueType(&cursor, field + " element type")
        let count = try cursor.count(field + " element count", minimumSize: type.minimumEncodedSize)
        switch type {
        case .uint8: return .uint8(try cursor.values(UInt8.self, count: count, field))
        case .int8: return .int8(try cursor.values(Int8.self, count: count, field))
        case .uint16: return .uint16(try cursor.values(UInt16.self, count: count, field))
        case .int16: return .int16(try cursor.values(Int16.self, count: count, field))
        case .uint32: return .uint32(try cursor.values(UInt32.self, count: count, field))
        case .int32: return .int32(try cursor.values(Int32.self, count: count, field))
        case .uint64: return .uint64(try cursor.values(UInt64.self, count: count, field))
        case .int64: return .int64(try cursor.values(Int64.self, count: count, field))
        case .float32: return .float32(try cursor.values(Float.self, count: count, field))
        case .float64: return .float64(try cursor.values(Double.self, count: count, field))
        case .bool: return .bool(try cursor.values(UInt8.self, count: count, field).map { $0 != 0 })
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(count)
            for i in 0..<count { strings.append(try cursor.string("\(field) element \(i)")) }
            return .string(strings)
        case .array:
            var arrays: [GGUFArray] = []
            arrays.reserveCapacity(count)
            for i in 0..<count { arrays.append(try array(&cursor, field: "\(field) element \(i)", depth: depth + 1)) }
            return .array(arrays)
        }
    }

    static func tensorInfo(_ cursor: inout GGUFByteCursor, index: Int, alignment: Int, file: String) throws -> GGUFTensorInfo {
        let name = try cursor.string("tensor #\(index) name")
        let field = "tensor '\(name)'"
        let dimensionCount = try cursor.scalar(UInt32.self, field + " n_dims")
        guard dimensionCount <= GGUFFile.maximumDimensions else {
            throw GGUFError(.corrupt, file: file, field: field + " n_dims",
                            "\(dimensionCount) dimensions, at most \(GGUFFile.maximumDimensions) allowed")
        }
        var dimensions: [Int] = []
        var elementCount = 1
        for d in 0..<Int(dimensionCount) {
            let raw = try cursor.scalar(UInt64.self, "\(field) dimension \(d)")
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: Int(clamping: raw))
            guard raw <= UInt64(Int.max), !overflow else {
                throw GGUFError(.corrupt, file: file, field: "\(field) dimension \(d)",
                                "dimension \(raw) makes the element count overflow")
            }
            dimensions.append(Int(raw))
            elementCount = product
        }
        let rawType = try cursor.scalar(UInt32.self, field + " type")
        guard let type = GGMLType(rawValue: rawType) else {
            throw GGUFError(.unsupported, file: file, field: field + " type", "unknown ggml type \(rawType)")
        }
        guard (dimensions.first ?? 1) % type.blockSize == 0, let byteCount = type.byteCount(forElements: elementCount) else {
            throw GGUFError(.corrupt, file: file, field: field + " dimensions",
                            "row length \(dimensions.first ?? 1) is not a multiple of the \(type) block size \(type.blockSize)")
        }
        let offset = try cursor.scalar(UInt64.self, field + " offset")
        guard offset <= UInt64(Int.max), offset % UInt64(alignment) == 0 else {
            throw GGUFError(.corrupt, file: file, field: field + " offset",
                            "offset \(offset) is not a multiple of the alignment \(alignment)")
        }
        return GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: Int(offset),
                              elementCount: elementCount, byteCount: byteCount)
    }
}
