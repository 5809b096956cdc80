// Long training curves made drawable: a centred moving average that shows the trend of a noisy
// loss without lagging behind it, a binned median for curves with spikes (gradient norms) that an
// average would smear into plateaus, and a min/max thinning that keeps a 100,000-step curve to a
// few thousand points without hiding its spikes. Non-finite values stay where they are, as gaps.

struct ChartPoint: Sendable, Equatable {
    var x: Double
    var y: Double
}

enum SeriesSampling {
    /// A centred moving average over `window` points (fewer at the ends); non-finite points stay
    /// non-finite and do not enter their neighbours' averages.
    static func movingAverage(_ points: [ChartPoint], window: Int) -> [ChartPoint] {
        guard window > 1, !points.isEmpty else { return points }
        // Prefix sums of the finite values and of how many there are.
        var sums = [0.0]
        var counts = [0]
        sums.reserveCapacity(points.count + 1)
        counts.reserveCapacity(points.count + 1)
        for p in points {
            sums.append(sums.last! + (p.y.isFinite ? p.y : 0))
            counts.append(counts.last! + (p.y.isFinite ? 1 : 0))
        }
        let before = window / 2
        let after = window - 1 - before
        return points.enumerated().map { i, p in
            guard p.y.isFinite else { return p }
            let low = max(0, i - before)
            let high = min(points.count, i + after + 1)
            let n = counts[high] - counts[low]
            return ChartPoint(x: p.x, y: (sums[high] - sums[low]) / Double(n))
        }
    }

    /// One point per run of `bin` consecutive points: the median of their finite values, at their
    /// middle x. Runs without a finite value give no point.
    static func binnedMedian(_ points: [ChartPoint], bin: Int) -> [ChartPoint] {
        guard bin > 1 else { return points }
        var out: [ChartPoint] = []
        var start = 0
        while start < points.count {
            let run = points[start..<min(points.count, start + bin)]
            let finite = run.map(\.y).filter(\.isFinite).sorted()
            if !finite.isEmpty {
                let middle = finite.count / 2
                let median = finite.count % 2 == 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2
                out.append(ChartPoint(x: run[run.startIndex + run.count / 2].x, y: median))
            }
            start += bin
        }
        return out
    }

    /// The window for a series of `count` points: about 1/25 of it, at least 1.
    static func smoothingWindow(count: Int) -> Int { max(1, count / 25) }

    /// At most about `2 × buckets` points: the minimum and the maximum of each bucket of
    /// consecutive points, in x order. A non-finite point is kept so the gap stays visible.
    static func thinned(_ points: [ChartPoint], buckets: Int = 1200) -> [ChartPoint] {
        guard points.count > 2 * buckets, buckets > 0 else { return points }
        let size = (points.count + buckets - 1) / buckets
        var out: [ChartPoint] = []
        out.reserveCapacity(3 * buckets)
        var start = 0
        while start < points.count {
            let bucket = points[start..<min(points.count, start + size)]
            if let gap = bucket.first(where: { !$0.y.isFinite }) {
                out.append(gap)
            }
            let finite = bucket.filter { $0.y.isFinite }
            if let low = finite.min(by: { $0.y < $1.y }), let high = finite.max(by: { $0.y < $1.y }) {
                out.append(contentsOf: low.x <= high.x ? [low, high] : [high, low])
            }
            start += size
        }
        out.sort { $0.x < $1.x }
        return out
    }
}
