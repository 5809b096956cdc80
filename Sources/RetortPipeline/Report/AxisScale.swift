// Maps data values to pixels along one axis and picks the ticks a reader sees: "nice" steps of 1,
// 2 or 5 × 10^k on linear axes, powers of ten on log axes. Degenerate data (one value, all equal,
// nothing finite) still gives a usable axis.
import Foundation

struct AxisScale: Sendable {
    enum Kind: Sendable { case linear, log }

    let kind: Kind
    /// The data interval shown, after widening to whole ticks.
    let lower: Double
    let upper: Double
    let ticks: [Double]
    let step: Double
    /// The pixel interval: `lower` maps to `start`, `upper` to `end` (end < start for y axes).
    var start: Double = 0
    var end: Double = 1

    /// A linear axis covering `values` (non-finite ones ignored), widened to whole ticks.
    /// `include` values (e.g. 0 for counts, a metric's range) are always shown.
    /// `minimumStep` keeps ticks on whole numbers for steps and counts. A `tight` axis ends at the
    /// data (ticks only inside it) instead of widening to whole ticks: for steps, where the room
    /// after the last step would be empty.
    static func linear(covering values: [Double], include: [Double] = [], targetTicks: Int = 5, minimumStep: Double = 0,
                       tight: Bool = false) -> AxisScale {
        let finite = (values + include).filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else {
            return AxisScale(kind: .linear, lower: 0, upper: 1, ticks: [0, 0.5, 1], step: 0.5)
        }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
            if finite.allSatisfy({ $0 >= 0 }) && low < 0 { low = 0 }
        }
        let step = max(minimumStep, niceStep((high - low) / Double(max(1, targetTicks - 1))))
        let first = ((tight ? low / step - 1e-9 : low / step)).rounded(tight ? .up : .down) * step
        let last = ((tight ? high / step + 1e-9 : high / step)).rounded(tight ? .down : .up) * step
        let count = max(0, min(50, Int(((last - first) / step).rounded()) + 1))
        let ticks = (0..<count).map { i -> Double in
            let t = first + Double(i) * step
            return abs(t) < step * 1e-9 ? 0 : t
        }
        return tight
            ? AxisScale(kind: .linear, lower: low, upper: high, ticks: ticks, step: step)
            : AxisScale(kind: .linear, lower: first, upper: last, ticks: ticks, step: step)
    }

    /// A log10 axis covering the positive `values`; ticks at powers of ten (and 2×, 5× when the
    /// axis spans few decades).
    static func log(covering values: [Double]) -> AxisScale {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        guard let low = positive.min(), let high = positive.max() else { return linear(covering: values) }
        let lowDecade = Foundation.floor(log10(low))
        var highDecade = Foundation.ceil(log10(high))
        if highDecade == lowDecade { highDecade += 1 }
        var ticks: [Double] = []
        let multipliers: [Double] = highDecade - lowDecade <= 2 ? [1, 2, 5] : [1]
        var decade = lowDecade
        while decade <= highDecade {
            for m in multipliers {
                let t = m * pow(10, decade)
                if t >= pow(10, lowDecade) && t <= pow(10, highDecade) { ticks.append(t) }
            }
            decade += 1
        }
        return AxisScale(kind: .log, lower: pow(10, lowDecade), upper: pow(10, highDecade), ticks: ticks, step: pow(10, lowDecade))
    }

    /// Log when positive values span more than `decades` orders of magnitude, else linear.
    static func automatic(covering values: [Double], decades: Double = 2.5) -> AxisScale {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        if let low = positive.min(), let high = positive.max(), positive.count == values.filter(\.isFinite).count,
           log10(high / low) > decades {
            return log(covering: values)
        }
        return linear(covering: values)
    }

    /// 1, 2 or 5 × 10^k, the one nearest `rough` (so the tick count stays near the one asked for).
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let power = pow(10, Foundation.floor(log10(rough)))
        let fraction = rough / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * power
    }

    func placed(from start: Double, to end: Double) -> AxisScale {
        var copy = self
        copy.start = start
        copy.end = end
        return copy
    }

    /// The pixel position of `value`; values outside the axis are clamped to its ends.
    func position(_ value: Double) -> Double {
        let fraction: Double
        switch kind {
        case .linear:
            fraction = upper == lower ? 0.5 : (value - lower) / (upper - lower)
        case .log:
            guard value > 0 else { return start }
            fraction = (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        return start + clamped * (end - start)
    }

    func contains(_ value: Double) -> Bool {
        value.isFinite && value >= lower - abs(upper - lower) * 1e-9 && value <= upper + abs(upper - lower) * 1e-9
            && (kind == .linear || value > 0)
    }

    func label(_ tick: Double) -> String {
        switch kind {
        case .linear: NumberText.tick(tick, step: step)
        case .log: NumberText.value(tick)
        }
    }
}
