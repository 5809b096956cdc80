// Numerically stable scalar helpers the objectives share (log-sum of two exponentials, p·log ratio
// in log space, softplus, sigmoid), kept in one namespace so they cannot clash with other code of
// the RetortDistill module.
import Foundation

enum ObjectiveMath {
    /// log(exp(a) + exp(b)) without overflow; −∞ when both are −∞.
    @inline(__always)
    static func logAddExp(_ a: Double, _ b: Double) -> Double {
        let high = max(a, b)
        if high == -.infinity { return -.infinity }
        return high + log(exp(a - high) + exp(b - high))
    }

    /// p · (log p − log q) written in logs, with 0 · anything = 0.
    @inline(__always)
    static func weightedLogRatio(logP: Double, logQ: Double) -> Double {
        if logP == -.infinity { return 0 }
        return exp(logP) * (logP - logQ)
    }

    /// log(1 + e^x) without overflow.
    @inline(__always)
    static func softplus(_ x: Double) -> Double {
        max(x, 0) + log1p(exp(-abs(x)))
    }

    /// 1 / (1 + e^−x) without overflow.
    @inline(__always)
    static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}
