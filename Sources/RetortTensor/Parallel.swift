// Splits a loop over independent items across cores, on CRetortKernels' spinning worker pool (or
// DispatchQueue.concurrentPerform while another thread holds the pool), and runs it inline when the
// work is too small to pay for the threads.
import CRetortKernels
import Dispatch
import Foundation

/// Carries a value into a @Sendable closure. Only for the ops' loops, whose iterations write
/// disjoint elements, which is the condition every caller of `Parallel` must meet.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

public enum Parallel {
    /// The number of cores the loops split across.
    public static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Below this much work (items times cost per item, roughly flops) a loop runs on the calling thread.
    static let minimumParallelWork = 1 << 15

    /// Calls `body` on contiguous sub-ranges covering 0..<count, concurrently when
    /// count * costPerItem is large. `body` must only write elements owned by its range.
    public static func forEachRange(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(count, workerCount * 4)
        if chunks <= 1 || workerCount == 1 || count * max(costPerItem, 1) < minimumParallelWork {
            body(0..<count)
            return
        }
        // The spinning pool first (decode steps run hundreds of short regions); when it is taken by
        // another thread's region, Dispatch.
        let ranByPool = withoutActuallyEscaping(body) { escapable in
            withUnsafePointer(to: escapable) { pointer in
                retort_pool_run(Int32(workerCount), Int64(count), { context, begin, end in
                    context!.assumingMemoryBound(to: ((Range<Int>) -> Void).self).pointee(Int(begin)..<Int(end))
                }, UnsafeMutableRawPointer(mutating: pointer)) != 0
            }
        }
        if ranByPool { return }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(value: escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                if start < end { box.value(start..<end) }
            }
        }
    }

    /// Calls `body` for each item of 0..<count, concurrently when the work is large.
    public static func forEach(_ count: Int, costPerItem: Int, _ body: (Int) -> Void) {
        forEachRange(count, costPerItem: costPerItem) { range in
            for i in range { body(i) }
        }
    }
}
