// Little-endian byte writing and bounds-checked reading for the run store's binary encodings.
// The reader knows its offset, so every error on a damaged file says at which byte it went wrong.

struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ values: [Int32]) {
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for v in values { append(UInt32(bitPattern: v)) }
    }

    mutating func append(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for v in values { append(v.bitPattern) }
    }

    mutating func append(bytes more: some Sequence<UInt8>) {
        bytes.append(contentsOf: more)
    }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}

/// Why a byte sequence could not be read, and where.
struct ByteReadError: Error {
    /// Offset of the first byte that did not make sense (from the start of what the reader was
    /// given, plus the reader's base offset).
    let offset: Int
    let message: String
}

struct ByteReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    /// Added to positions in errors when `bytes` is a slice of a larger file.
    let baseOffset: Int

    init(_ bytes: [UInt8], baseOffset: Int = 0) {
        self.bytes = bytes
        self.position = 0
        self.baseOffset = baseOffset
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position == bytes.count }
    /// The offset the next read starts at, as errors report it.
    var offset: Int { baseOffset + position }

    func error(_ message: String, at offset: Int? = nil) -> ByteReadError {
        ByteReadError(offset: offset ?? self.offset, message: message)
    }

    /// Fails unless `count` more bytes are there, naming what was being read.
    func require(_ count: Int, for what: String) throws(ByteReadError) {
        guard count >= 0, count <= remaining else {
            throw error("truncated inside \(what): \(count) bytes needed, \(remaining) left")
        }
    }

    mutating func readUInt32(_ what: String) throws(ByteReadError) -> UInt32 {
        try require(4, for: what)
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * i) }
        position += 4
        return value
    }

    mutating func readUInt64(_ what: String) throws(ByteReadError) -> UInt64 {
        try require(8, for: what)
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * i) }
        position += 8
        return value
    }

    mutating func readBytes(_ count: Int, _ what: String) throws(ByteReadError) -> ArraySlice<UInt8> {
        try require(count, for: what)
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func readInt32s(_ count: Int, _ what: String) throws(ByteReadError) -> [Int32] {
        try readWords(count, what).map { Int32(bitPattern: $0) }
    }

    mutating func readFloats(_ count: Int, _ what: String) throws(ByteReadError) -> [Float] {
        try readWords(count, what).map { Float(bitPattern: $0) }
    }

    /// `count` little-endian 32-bit words, bounds-checked once.
    private mutating func readWords(_ count: Int, _ what: String) throws(ByteReadError) -> [UInt32] {
        try require(Self.byteCount(count, 4, what: what, reader: self), for: what)
        var values = [UInt32](repeating: 0, count: count)
        var p = position
        for i in 0..<count {
            values[i] = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
            p += 4
        }
        position = p
        return values
    }

    /// count × size, refusing counts so large the product overflows (a damaged length field).
    static func byteCount(_ count: Int, _ size: Int, what: String, reader: ByteReader) throws(ByteReadError) -> Int {
        let (product, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, count >= 0 else { throw reader.error("\(what): \(count) entries cannot fit in a file") }
        return product
    }
}
