// Dequantization of ggml's 256-element "K" super-blocks (ggml-common.h, dequantize_row_q*_K in
// ggml-quants.c):
//   Q2_K {u8 scales[16]; u8 qs[64]; f16 d, dmin}         16 groups of 16: y = d·(sc&15)·q2 − dmin·(sc>>4)
//   Q3_K {u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d}  16 groups of 16, 6-bit signed scales, q3 = q2 − 4·!hbit
//   Q4_K {f16 d, dmin; u8 scales[12]; u8 qs[128]}         8 groups of 32, 6-bit scales and mins
//   Q5_K {f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]} as Q4_K with a fifth bit from qh
//   Q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}     16 groups of 16: y = d·sc·(q6 − 32)
//   Q8_K {f32 d; i8 qs[256]; i16 bsums[16]}               y = d·q

extension GGMLDequantizer {
    static func q2_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let scales = b.assumingMemoryBound(to: UInt8.self)
        let qs = scales + 16
        let d = half(b, 80), dmin = half(b, 82)
        var out = 0, group = 0
        for half in 0..<2 {
            let q = qs + 32 * half
            for shift in stride(from: 0, to: 8, by: 2) {
                for part in 0..<2 {
                    let sc = scales[group]
                    group += 1
                    let dl = d * Float(sc & 0x0F), ml = dmin * Float(sc >> 4)
                    for l in 0..<16 { y[out + l] = dl * Float((q[l + 16 * part] >> UInt8(shift)) & 3) - ml }
                    out += 16
                }
            }
        }
    }

    static func q3_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let hmask = b.assumingMemoryBound(to: UInt8.self)
        let qs = hmask + 32
        let packed = hmask + 96
        let d = half(b, 108)
        // Sixteen 6-bit scales: low 4 bits from nibbles of bytes 0–7, high 2 bits from bytes 8–11.
        func scale(_ k: Int) -> Float {
            let low = k < 8 ? packed[k] & 0x0F : packed[k - 8] >> 4
            let high = (packed[8 + k % 4] >> UInt8(2 * (k / 4))) & 3
            return d * Float(Int(low | high << 4) - 32)
        }
        var out = 0, group = 0
        var mask: UInt8 = 1
        for half in 0..<2 {
            let q = qs + 32 * half
            for shift in stride(from: 0, to: 8, by: 2) {
                for part in 0..<2 {
                    let dl = scale(group)
                    group += 1
                    for l in 0..<16 {
                        let i = l + 16 * part
                        let low = Int((q[i] >> UInt8(shift)) & 3)
                        y[out + l] = dl * Float(low - (hmask[i] & mask != 0 ? 0 : 4))
                    }
                    out += 16
                }
                mask <<= 1
            }
        }
    }

    /// The 6-bit scale and min of group `j` (0..<8) in the 12 packed bytes of Q4_K/Q5_K.
    @inline(__always)
    static func scaleMinK4(_ j: Int, _ q: UnsafePointer<UInt8>) -> (Float, Float) {
        if j < 4 { return (Float(q[j] & 63), Float(q[j + 4] & 63)) }
        return (Float((q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4)), Float((q[j + 4] >> 4) | ((q[j] >> 6) << 4)))
    }

    static func q4_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), dmin = half(b, 2)
        let scales = (b + 4).assumingMemoryBound(to: UInt8.self)
        let qs = scales + 12
        for chunk in 0..<4 {
            let (s1, m1) = scaleMinK4(2 * chunk, scales), (s2, m2) = scaleMinK4(2 * chunk + 1, scales)
            let d1 = d * s1, min1 = dmin * m1, d2 = d * s2, min2 = dmin * m2
            let q = qs + 32 * chunk, o = y + 64 * chunk
            for l in 0..<32 {
                o[l] = d1 * Float(q[l] & 0x0F) - min1
                o[l + 32] = d2 * Float(q[l] >> 4) - min2
            }
        }
    }

    static func q5_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), dmin = half(b, 2)
        let scales = (b + 4).assumingMemoryBound(to: UInt8.self)
        let qh = scales + 12
        let qs = qh + 32
        for chunk in 0..<4 {
            let (s1, m1) = scaleMinK4(2 * chunk, scales), (s2, m2) = scaleMinK4(2 * chunk + 1, scales)
            let d1 = d * s1, min1 = dmin * m1, d2 = d * s2, min2 = dmin * m2
            let u1 = UInt8(1) << UInt8(2 * chunk), u2 = UInt8(2) << UInt8(2 * chunk)
            let q = qs + 32 * chunk, o = y + 64 * chunk
            for l in 0..<32 {
                o[l] = d1 * Float((q[l] & 0x0F) + (qh[l] & u1 != 0 ? 16 : 0)) - min1
                o[l + 32] = d2 * Float((q[l] >> 4) + (qh[l] & u2 != 0 ? 16 : 0)) - min2
            }
        }
    }

    static func q6_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let base = b.assumingMemoryBound(to: UInt8.self)
        let d = half(b, 208)
        let allScales = (b + 192).assumingMemoryBound(to: Int8.self)
        for half in 0..<2 {
            let ql = base + 64 * half, qh = base + 128 + 32 * half
            let sc = allScales + 8 * half, o = y + 128 * half
            for l in 0..<32 {
                let s = l / 16
                let q1 = Int((ql[l] & 0x0F) | ((qh[l] & 3) << 4)) - 32
                let q2 = Int((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32
                let q3 = Int((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32
                let q4 = Int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32
                o[l] = d * Float(sc[s]) * Float(q1)
                o[l + 32] = d * Float(sc[s + 2]) * Float(q2)
                o[l + 64] = d * Float(sc[s + 4]) * Float(q3)
                o[l + 96] = d * Float(sc[s + 6]) * Float(q4)
            }
        }
    }

    static func q8_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(as: UInt32.self)))
        let qs = (b + 4).assumingMemoryBound(to: Int8.self)
        for j in 0..<256 { y[j] = d * Float(qs[j]) }
    }
}
