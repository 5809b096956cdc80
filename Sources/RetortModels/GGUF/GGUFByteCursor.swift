// A bounds-checked little-endian cursor over the bytes of a GGUF file: every read checks that the
// bytes exist, and every count is checked against the bytes left before anything is allocated.
import Foundation

struct GGUFByteCursor {
    let bytes: UnsafeRawBufferPointer
    let file: String
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    var remaining: Int { bytes.count - position }

    func truncated(_ field: String, needing n: Int) -> GGUFError {
        GGUFError(.truncated, file: file, field: field,
                  "needs \(n) bytes at offset \(position) but the file has \(remaining) left (\(bytes.count) in all)")
    }

    /// The next `n` bytes, advancing past them.
    mutating func take(_ n: Int, _ field: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw truncated(field(), needing: n) }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<position + n])
        position += n
        return slice
    }

    mutating func scalar<T: FixedWidthInteger>(_: T.Type, _ field: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw truncated(field(), needing: size) }
        let value = bytes.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: value)
    }

    /// Reads a uint64 count of items each taking at least `minimumSize` bytes, refusing a count
    /// the rest of the file could not hold.
    mutating func count(_ field: @autoclosure () -> String, minimumSize: Int) throws -> Int {
        let raw = try scalar(UInt64.self, field())
        guard raw <= UInt64(remaining / max(minimumSize, 1)) else {
            throw GGUFError(.corrupt, file: file, field: field(),
                            "count \(raw) of items of at least \(minimumSize) bytes cannot fit in the \(remaining) bytes left")
        }
        return Int(raw)
    }

    /// A GGUF string: uint64 byte length, then UTF-8 bytes (no terminator). Invalid UTF-8 is repaired.
    mutating func string(_ field: @autoclosure () -> String) throws -> String {
        let length = try count(field() + " length", minimumSize: 1)
        let raw = try take(length, field())
        return String(decoding: raw, as: UTF8.self)
    }

    /// `count` fixed-size little-endian values copied into a Swift array.
    mutating func values<T>(_: T.Type, count: Int, _ field: @autoclosure () -> String) throws -> [T] {
        let size = MemoryLayout<T>.size
        let raw = try take(count * size, field())  // count was checked against `remaining`, so no overflow
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { memcpy(buffer.baseAddress!, raw.baseAddress!, count * size) }
            initialized = count
        }
    }
}
