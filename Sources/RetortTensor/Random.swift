// A small seeded random number generator (SplitMix64) so weight initialization, tests and gradient
// checks are reproducible on every platform.
import Foundation

public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// Standard normal by the Box-Muller transform.
    public mutating func nextGaussian() -> Float {
        let u1 = (Double(next() >> 11) + 1) / Double(1 << 53)  // in (0, 1], so log is finite
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
