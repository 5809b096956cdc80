// Dequantization of ggml tensor data to float32: the driver (bounds check, split of big tensors
// across cores) and the plain and 32-element block types. Block layouts follow ggml-common.h:
//   F32 · F16 (IEEE half) · BF16 (top half of a float32)
//   Q4_0 {f16 d; u8 qs[16]}            y = (nibble - 8)·d            (low nibbles: 0..15, high: 16..31)
//   Q4_1 {f16 d, m; u8 qs[16]}         y = nibble·d + m
//   Q5_0 {f16 d; u8 qh[4]; u8 qs[16]}  y = (nibble | bit·16 - 16)·d  (bit j of the uint32 qh)
//   Q5_1 {f16 d, m; u8 qh[4]; u8 qs[16]} y = (nibble | bit·16)·d + m
//   Q8_0 {f16 d; i8 qs[32]}            y = q·d
// The 256-element K-quants are in GGMLDequantizer+KQuants.swift.
import Dispatch
import Foundation

public enum GGMLDequantizer {
    /// Elements one parallel task handles; smaller tensors are done on the calling thread.
    static let elementsPerTask = 1 << 15

    /// Decodes `count` elements of `type` from `bytes` (which may be longer than needed).
    public static func dequantize(_ bytes: UnsafeRawBufferPointer, type: GGMLType, count: Int,
                                  file: String = "memory", field: String = "tensor") throws -> [Float] {
        guard type.canDequantize else {
            throw GGUFError(.unsupported, file: file, field: field, "dequantizing ggml type \(type) is not supported")
        }
        guard let needed = type.byteCount(forElements: count) else {
            throw GGUFError(.invalidInput, file: file, field: field,
                            "\(count) elements is not a whole number of \(type) blocks of \(type.blockSize)")
        }
        guard needed <= bytes.count else {
            throw GGUFError(.truncated, file: file, field: field, "\(count) \(type) elements need \(needed) bytes, have \(bytes.count)")
        }
        if count == 0 { return [] }
        let blocks = count / type.blockSize
        let blocksPerTask = max(1, elementsPerTask / type.blockSize)
        let tasks = (blocks + blocksPerTask - 1) / blocksPerTask
        let source = bytes.baseAddress!
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            let destination = output.baseAddress!
            if tasks == 1 {
                decode(type, source, destination, blocks: 0..<blocks)
            } else {
                // Each task writes its own disjoint range of blocks; the pointers outlive the call.
                let pointers = Pointers(source: source, destination: destination)
                DispatchQueue.concurrentPerform(iterations: tasks) { task in
                    let start = task * blocksPerTask
                    decode(type, pointers.source, pointers.destination, blocks: start..<min(blocks, start + blocksPerTask))
                }
            }
            initialized = count
        }
    }

    struct Pointers: @unchecked Sendable {
        let source: UnsafeRawPointer
        let destination: UnsafeMutablePointer<Float>
    }

    /// Decodes whole blocks `blocks` of `source` into the matching elements of `destination`.
    static func decode(_ type: GGMLType, _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>,
                       blocks: Range<Int>) {
        switch type {
        case .f32:
            memcpy(destination + blocks.lowerBound, source + 4 * blocks.lowerBound, 4 * blocks.count)
        case .f16:
            for i in blocks { destination[i] = Float(halfBits: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .bf16:
            for i in blocks {
                destination[i] = Float(bitPattern: UInt32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .q4_0: each(blocks, type, source, destination, q4_0)
        case .q4_1: each(blocks, type, source, destination, q4_1)
        case .q5_0: each(blocks, type, source, destination, q5_0)
        case .q5_1: each(blocks, type, source, destination, q5_1)
        case .q8_0: each(blocks, type, source, destination, q8_0)
        case .q2_K: each(blocks, type, source, destination, q2_K)
        case .q3_K: each(blocks, type, source, destination, q3_K)
        case .q4_K: each(blocks, type, source, destination, q4_K)
        case .q5_K: each(blocks, type, source, destination, q5_K)
        case .q6_K: each(blocks, type, source, destination, q6_K)
        case .q8_K: each(blocks, type, source, destination, q8_K)
        default: preconditionFailure("checked by canDequantize")
        }
    }

    @inline(__always)
    static func each(_ blocks: Range<Int>, _ type: GGMLType, _ source: UnsafeRawPointer,
                     _ destination: UnsafeMutablePointer<Float>,
                     _ kernel: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void) {
        for b in blocks { kernel(source + b * type.typeSize, destination + b * type.blockSize) }
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(halfBits: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    static func q4_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        let qs = (b + 2).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            y[j] = Float(Int(qs[j] & 0x0F) - 8) * d
            y[j + 16] = Float(Int(qs[j] >> 4) - 8) * d
        }
    }

    static func q4_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), m = half(b, 2)
        let qs = (b + 4).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            y[j] = Float(qs[j] & 0x0F) * d + m
            y[j + 16] = Float(qs[j] >> 4) * d + m
        }
    }

    static func q5_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        let qs = (b + 6).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            let h0 = Int((qh >> UInt32(j)) << 4 & 0x10), h1 = Int((qh >> UInt32(j + 12)) & 0x10)
            y[j] = Float((Int(qs[j] & 0x0F) | h0) - 16) * d
            y[j + 16] = Float((Int(qs[j] >> 4) | h1) - 16) * d
        }
    }

    static func q5_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), m = half(b, 2)
        let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let qs = (b + 8).assumingMemoryBound(to: UInt8.self)
        for j in 0..<16 {
            let h0 = Int((qh >> UInt32(j)) << 4 & 0x10), h1 = Int((qh >> UInt32(j + 12)) & 0x10)
            y[j] = Float(Int(qs[j] & 0x0F) | h0) * d + m
            y[j + 16] = Float(Int(qs[j] >> 4) | h1) * d + m
        }
    }

    static func q8_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        let qs = (b + 2).assumingMemoryBound(to: Int8.self)
        for j in 0..<32 { y[j] = Float(qs[j]) * d }
    }
}
