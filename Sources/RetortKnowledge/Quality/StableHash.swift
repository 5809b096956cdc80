// A small non-cryptographic hash that is the same on every run and platform (Swift's Hasher is
// seeded per process), so dedup keys and MinHash signatures can be stored and compared across
// resumed runs. Bytes are read as little-endian 64-bit words, each mixed in with a multiply and a
// rotation, and the result goes through SplitMix64's finalizer.

enum StableHash {
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hash64<Bytes: Collection>(_ bytes: Bytes, seed: UInt64) -> UInt64 where Bytes.Element == UInt8 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var word: UInt64 = 0
        var filled: UInt64 = 0
        for byte in bytes {
            word |= UInt64(byte) << (filled * 8)
            filled += 1
            if filled == 8 {
                h = absorb(h, word)
                word = 0
                filled = 0
            }
        }
        if filled > 0 { h = absorb(h, word) }
        return mix(h)
    }

    private static func absorb(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let k = mix(word &+ 0x9E37_79B9_7F4A_7C15)
        let x = (h ^ k) &* 0xFF51_AFD7_ED55_8CCD
        return (x << 31) | (x >> 33)
    }

    static func hash64(_ text: String, seed: UInt64) -> UInt64 { hash64(text.utf8, seed: seed) }
}

/// A 128-bit digest of a string: two independently seeded 64-bit hashes, so that distinct
/// normalized texts colliding is negligible (about n²/2¹²⁹ for n texts).
public struct TextDigest: Sendable, Hashable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(_ text: String) {
        high = StableHash.hash64(text, seed: 0x5245_544F_5254_0001)
        low = StableHash.hash64(text, seed: 0x5245_544F_5254_0002)
    }

    public var description: String {
        let hex = { (v: UInt64) -> String in
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }
}
