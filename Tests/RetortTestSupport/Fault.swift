// The faults the fault-injecting proxy can play, and the plans that say which request gets which:
// a script (request i gets fault i, later ones pass) or a seeded draw (reproducible per request
// number, whatever the timing).

public enum Fault: Sendable, Hashable, CustomStringConvertible {
    /// Forward to the upstream and return its answer untouched.
    case pass
    /// Answer this status with an error body in the shape OpenAI and Anthropic use, and a
    /// Retry-After header when given (seconds or an HTTP-date, sent as is).
    case status(Int, retryAfter: String? = nil)
    /// Never answer; the request ends when the client gives up and closes the connection.
    case hang
    /// Forward, then return only the first half of the upstream's JSON body (as a complete response).
    case truncatedBody
    /// Answer 200 with a body that is not JSON.
    case malformedBody
    /// Close the connection without answering.
    case closeConnection

    public static func rateLimited(retryAfter: String?) -> Fault { .status(429, retryAfter: retryAfter) }
    public static let serverError = Fault.status(500)
    public static let unavailable = Fault.status(503)

    /// One of each kind, for tests that go through them all.
    public static let allKinds: [Fault] = [
        .rateLimited(retryAfter: "0"), .serverError, .unavailable, .hang, .truncatedBody, .malformedBody, .closeConnection,
    ]

    public var description: String {
        switch self {
        case .pass: "pass"
        case .status(let code, let retryAfter): retryAfter.map { "HTTP \(code) (Retry-After: \($0))" } ?? "HTTP \(code)"
        case .hang: "hang"
        case .truncatedBody: "truncated body"
        case .malformedBody: "malformed body"
        case .closeConnection: "connection close"
        }
    }
}

public struct FaultPlan: Sendable {
    private let choose: @Sendable (Int) -> Fault

    /// Request i (counting from 0) gets `faults[i]`; requests past the script pass.
    public static func script(_ faults: [Fault]) -> FaultPlan {
        FaultPlan { index in index < faults.count ? faults[index] : .pass }
    }

    /// Each request independently gets a fault with probability `rate`, one of `kinds` uniformly;
    /// the draw for request i depends only on `seed` and i.
    public static func seeded(seed: UInt64, rate: Double, kinds: [Fault] = Fault.allKinds) -> FaultPlan {
        FaultPlan { index in
            guard !kinds.isEmpty else { return .pass }
            let draw = mix(seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let unit = Double(draw >> 11) * 0x1p-53
            guard unit < rate else { return .pass }
            return kinds[Int(mix(draw) % UInt64(kinds.count))]
        }
    }

    /// Every request passes.
    public static let none = FaultPlan { _ in .pass }

    public func fault(forRequest index: Int) -> Fault { choose(index) }

    private init(_ choose: @escaping @Sendable (Int) -> Fault) { self.choose = choose }

    /// The SplitMix64 finalizer.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
